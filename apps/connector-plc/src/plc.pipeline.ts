import type { CloudEvent } from '@threadline/contracts';
import type { Logger } from '@threadline/observability';
import type { PlcSettings, SampleSink } from './plc-config.types';
import { findingEvent, telemetryEvent, type PlcSource } from './signals/plc-events';
import { SignalRules } from './signals/signal-rules';
import { TelemetryBatcher } from './signals/telemetry.batcher';

/** Where events go: the outbox (`EventPublisher.publish`, one transaction per call). */
export interface EventSink {
  publish(...events: CloudEvent[]): Promise<void>;
}

const WRITE_BATCH = 500;
const RULE_TICK_MS = 250;
const RETRY_MS = 1_000;

/**
 * Samples in, canonical events out: rules see every sample (alarms, downtime), telemetry goes
 * through the batcher, and every event is written to the outbox in arrival order, many per
 * transaction. The outbox is the edge buffer: while the broker is away the relay holds them and
 * sends them in order when it returns. A failed write is retried; nothing is dropped here.
 */
export class PlcPipeline {
  private readonly rules: SignalRules;
  private readonly batcher: TelemetryBatcher;
  private readonly pending: CloudEvent[] = [];
  private writing?: Promise<void>;
  private ticker?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    private readonly source: PlcSource,
    settings: PlcSettings,
    private readonly events: EventSink,
    private readonly logger: Logger,
  ) {
    this.rules = new SignalRules(settings.rules);
    this.batcher = new TelemetryBatcher(settings.telemetry, (batch) =>
      this.enqueue([telemetryEvent(this.source, batch)]),
    );
  }

  /** What sources call with their samples; never throws, never waits. */
  readonly sink: SampleSink = (samples) => {
    const findings = this.rules.onSamples(samples);
    this.enqueue(findings.map((finding) => findingEvent(this.source, finding)));
    this.batcher.add(samples);
  };

  start(): void {
    this.ticker = setInterval(() => {
      const findings = this.rules.tick(Date.now());
      this.enqueue(findings.map((finding) => findingEvent(this.source, finding)));
    }, RULE_TICK_MS);
  }

  /** Sends open telemetry batches and waits until every event is in the outbox. */
  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.batcher.flush();
    clearTimeout(this.retryTimer);
    while (this.pending.length > 0 || this.writing) {
      await (this.writing ?? this.write());
    }
  }

  /** Events waiting to be written (not yet in the outbox). */
  get backlog(): number {
    return this.pending.length;
  }

  private enqueue(events: CloudEvent[]): void {
    if (events.length === 0) return;
    this.pending.push(...events);
    if (!this.writing && !this.retryTimer) void this.write();
  }

  private write(): Promise<void> {
    this.writing = this.writeNext().finally(() => (this.writing = undefined));
    return this.writing;
  }

  private async writeNext(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, WRITE_BATCH);
      try {
        await this.events.publish(...batch);
      } catch (error) {
        if (!this.failing) this.logger.error({ err: error }, 'PLC events not stored; retrying');
        this.failing = true;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          void this.write();
        }, RETRY_MS);
        return;
      }
      this.pending.splice(0, batch.length);
      if (this.failing) this.logger.info('PLC events stored again');
      this.failing = false;
    }
  }
}
