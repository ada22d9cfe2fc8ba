import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Read access shared by the metric facades (tests and collectors use `get`/`reset`). */
interface MetricBase {
  get(): Promise<{ name: string; values: Array<{ value: number; labels: object }> }>;
  reset(): void;
}

/** A counter that only accepts its complete, typed label set. */
export interface CounterMetric<Labels> extends MetricBase {
  inc(labels: Labels, value?: number): void;
}

export interface GaugeMetric<Labels> extends MetricBase {
  set(labels: Labels, value: number): void;
  inc(labels: Labels, value?: number): void;
  dec(labels: Labels, value?: number): void;
  remove(labels: Labels): void;
}

export interface HistogramMetric<Labels> extends MetricBase {
  observe(labels: Labels, value: number): void;
  /** Starts a timer; calling the result observes the elapsed seconds and returns them. */
  startTimer(labels: Labels): () => number;
}

/** A label set: every label has a string value. */
type LabelSet<Labels> = { [Name in keyof Labels]: string };

interface Definition<Labels> {
  name: string;
  help: string;
  /** Exactly the keys of `Labels`, so a call without one of them does not compile. */
  labelNames: ReadonlyArray<keyof Labels & string>;
}

export function counter<Labels extends LabelSet<Labels>>(
  registry: Registry,
  definition: Definition<Labels>,
): CounterMetric<Labels> {
  return new Counter({ ...definition, registers: [registry] });
}

export function gauge<Labels extends LabelSet<Labels>>(
  registry: Registry,
  definition: Definition<Labels>,
): GaugeMetric<Labels> {
  return new Gauge({ ...definition, registers: [registry] });
}

export function histogram<Labels extends LabelSet<Labels>>(
  registry: Registry,
  definition: Definition<Labels> & { buckets: number[] },
): HistogramMetric<Labels> {
  return new Histogram({ ...definition, registers: [registry] });
}
