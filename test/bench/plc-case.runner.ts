import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@threadline/testing';
import { round, waitUntil } from './bench-support';
import {
  countOf,
  cpuPercent,
  exited,
  forkCompiled,
  ProcessWatch,
  sleep,
  type Timing,
} from './plc-bench-support';
import {
  startConnector,
  unsentSamples,
  type ConnectorInternals,
  type OutboxDatabase,
} from './plc-connector.process';
import type { RawArguments } from './plc-raw.process';
import type { TelemetryCounter } from './plc-telemetry.counter';
import type { ConnectorConfig } from '@threadline/connector-sdk';

/** What the orchestrator needs from the bench: compiled code, the broker, the watchers. */
export interface BenchContext {
  readonly compiledRoot: string;
  readonly amqpUrl: string;
  readonly counter: TelemetryCounter;
  readonly simulator: ProcessWatch;
  readonly timing: Timing;
  /** The connector's process settings as deployed (EDGE_PROCESS_ENV, or as the flags say). */
  readonly connectorEnv: Readonly<Record<string, string>>;
}

export interface WindowFigures {
  /** Samples handed to the pipeline (connector), changes or registers (baselines), per second. */
  readonly perSecondAtSource: number;
  readonly rssAtStartMb: number;
  readonly rssMedianInWindowMb: number;
  /** VmHWM: the highest RSS of the process over its life, start-up included. */
  readonly rssPeakMb: number;
  /** CPU over the window in percent of one core (200 is both cores of this machine). */
  readonly cpuPercent: number;
  readonly simulatorCpuPercent: number;
  readonly windowSeconds: number;
}

export interface EndToEnd {
  /** Samples in telemetry events that reached the broker's queue during the window, per second. */
  readonly samplesPerSecond: number;
  readonly eventsPerSecond: number;
  readonly samplesPerEvent: number;
  /** Age of an event's oldest sample when it was consumed (batching delay included). */
  readonly sampleAgeP50Ms: number;
  readonly sampleAgeP99Ms: number;
  /** Samples the sources had taken by the window end, and where they all were after the stop. */
  readonly takenBeforeStop: number;
  readonly deliveredAfterStop: number;
  readonly leftUnsentInOutbox: number;
}

export interface CaseOutcome extends WindowFigures {
  readonly endToEnd?: EndToEnd;
  /** From the connector's own metrics: skipped poll cycles in the window, V8 heap at its end. */
  readonly connector?: {
    readonly pollOverrunsInWindow: number;
    readonly heapUsedAtEndMb: number;
    readonly heapTotalAtEndMb: number;
  };
}

interface Measured {
  pid: number;
  /** Default: RSS when the first sample is counted (baselines: connected and subscribed). */
  rssAtStartMb?: number;
  count(): Promise<number>;
  internals?(): Promise<ConnectorInternals>;
}

/** A plain node-opcua or modbus-serial baseline in its own process. */
export async function runBaseline(context: BenchContext, raw: RawArguments): Promise<CaseOutcome> {
  process.stderr.write(`bench:plc baseline ${raw.protocol}\n`);
  const child = forkCompiled(
    join(context.compiledRoot, 'test', 'bench', 'plc-raw.process.js'),
    raw,
  );
  try {
    const count = countOf(child);
    const measured = await measureWindow(context, { pid: child.pid!, count });
    const { atStart: _start, atEnd: _end, ages: _ages, ...figures } = measured;
    return figures;
  } finally {
    child.disconnect();
    await exited(child);
  }
}

/** `threadline serve connector-plc` with `config`, its outbox on `database`. */
export async function runConnector(
  context: BenchContext,
  config: (workspace: string) => ConnectorConfig,
  database: 'sqlite' | 'postgres',
  label: string,
): Promise<CaseOutcome> {
  process.stderr.write(`bench:plc connector-plc ${label} (${database})\n`);
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-bench-plc-'));
  let testDatabase: TestDatabase | undefined;
  try {
    if (database === 'postgres') testDatabase = await createTestDatabase('threadline_bench_plc');
    const outbox: OutboxDatabase = testDatabase
      ? { url: testDatabase.url }
      : { sqlitePath: join(workspace, 'edge.sqlite') };
    const before = context.counter.now();
    const connector = await startConnector({
      compiledRoot: context.compiledRoot,
      workspace,
      amqpUrl: context.amqpUrl,
      database: outbox,
      config: config(workspace),
      env: context.connectorEnv,
    });
    let figures: WindowFigures & { atEnd: Marks; atStart: Marks; ages: number[] };
    let takenBeforeStop: number;
    try {
      figures = await measureWindow(context, {
        pid: connector.pid,
        rssAtStartMb: connector.rssAtStartMb,
        count: () => connector.samples(),
        internals: () => connector.internals(),
      });
      takenBeforeStop = await connector.samples();
    } finally {
      await connector.stop();
    }
    const leftUnsentInOutbox = await unsentSamples(outbox);
    const deliveredSince = () => context.counter.samples - before.samples;
    await waitUntil(
      () => deliveredSince() + leftUnsentInOutbox >= takenBeforeStop,
      'every sample taken to reach the queue',
      60_000,
      50,
    ).catch(() => undefined); // a shortfall shows in the figures; it does not stop the run
    return connectorOutcome(figures, {
      takenBeforeStop,
      deliveredAfterStop: deliveredSince(),
      leftUnsentInOutbox,
    });
  } finally {
    await testDatabase?.drop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function connectorOutcome(
  figures: WindowFigures & { atEnd: Marks; atStart: Marks; ages: number[] },
  delivery: Pick<EndToEnd, 'takenBeforeStop' | 'deliveredAfterStop' | 'leftUnsentInOutbox'>,
): CaseOutcome {
  const { atStart, atEnd, ages, ...window } = figures;
  const events = atEnd.delivered.events - atStart.delivered.events;
  const samples = atEnd.delivered.samples - atStart.delivered.samples;
  const windowMs = atEnd.delivered.atMs - atStart.delivered.atMs;
  return {
    ...window,
    connector: atStart.internals &&
      atEnd.internals && {
        pollOverrunsInWindow: atEnd.internals.pollOverruns - atStart.internals.pollOverruns,
        heapUsedAtEndMb: atEnd.internals.heapUsedMb,
        heapTotalAtEndMb: atEnd.internals.heapTotalMb,
      },
    endToEnd: {
      samplesPerSecond: Math.round((samples / windowMs) * 1000),
      eventsPerSecond: round((events / windowMs) * 1000, 1),
      samplesPerEvent: events === 0 ? 0 : Math.round(samples / events),
      sampleAgeP50Ms: percentile(ages, 0.5),
      sampleAgeP99Ms: percentile(ages, 0.99),
      ...delivery,
    },
  };
}

interface Marks {
  count: number;
  internals?: ConnectorInternals;
  delivered: ReturnType<TelemetryCounter['now']>;
  cpuNs: number;
  simulatorCpuNs: number;
}

/** Waits for the first sample and the warm-up, then measures one window. */
async function measureWindow(context: BenchContext, target: Measured) {
  const { counter, simulator, timing } = context;
  const watch = new ProcessWatch(target.pid);
  try {
    await waitForFirst(target);
    const rssAtStartMb = target.rssAtStartMb ?? watch.rssMb();
    await sleep(timing.warmUpMs);
    const mark = async (): Promise<Marks> => ({
      count: await target.count(),
      internals: await target.internals?.(),
      delivered: counter.now(),
      cpuNs: watch.cpuNanoseconds(),
      simulatorCpuNs: simulator.cpuNanoseconds(),
    });
    const atStart = await mark();
    counter.startRecording();
    watch.medianRssMb();
    await sleep(timing.windowMs);
    const atEnd = await mark();
    const ages = counter.stopRecording();
    const windowMs = atEnd.delivered.atMs - atStart.delivered.atMs;
    return {
      perSecondAtSource: Math.round(((atEnd.count - atStart.count) / windowMs) * 1000),
      rssAtStartMb,
      rssMedianInWindowMb: watch.medianRssMb(),
      rssPeakMb: watch.peakRssMb(),
      cpuPercent: cpuPercent(atStart.cpuNs, atEnd.cpuNs, windowMs),
      simulatorCpuPercent: cpuPercent(atStart.simulatorCpuNs, atEnd.simulatorCpuNs, windowMs),
      windowSeconds: round(windowMs / 1000),
      atStart,
      atEnd,
      ages,
    };
  } finally {
    watch.stop();
  }
}

async function waitForFirst(target: Measured): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await target.count()) === 0) {
    if (Date.now() > deadline) throw new Error(`process ${target.pid}: no sample within 120 s`);
    await sleep(100);
  }
}

function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
}
