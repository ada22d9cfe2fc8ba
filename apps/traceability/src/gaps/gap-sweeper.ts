import { withTransaction, type MessagingRuntime } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { GenealogySql } from '../genealogy/genealogy-sql';
import type { GapDetector } from './gap-detector';
import type { FoundGap } from './gap-rules';
import { recordGap } from './gap-store';

/**
 * Runs the time-based gap rules every `intervalMs`: found gaps are stored and announced in one
 * transaction, so each is published once even with several replicas sweeping.
 */
export class GapSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runtime: MessagingRuntime,
    private readonly detector: GapDetector,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.sweep().catch((error: unknown) =>
        this.runtime.logger.error(
          { err: error },
          'gap sweep failed; retrying at the next interval',
        ),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep at `now`; answers the gap events it published. */
  async sweep(now = new Date()): Promise<CloudEventEnvelope[]> {
    const published = await withTransaction(this.runtime.dataSource, async (runner) => {
      const sql = new GenealogySql(runner.manager);
      const events: CloudEventEnvelope[] = [];
      const found: FoundGap[] = [];
      for (const gap of await this.detector.sweep(sql, now)) {
        const detected = await recordGap(sql, gap, now);
        if (!detected) continue;
        events.push(detected);
        found.push(gap);
      }
      await this.runtime.publisher.publishIn(runner.manager, ...events);
      return { events, found };
    });
    for (const gap of published.found) {
      this.runtime.metrics?.traceGapsDetected.inc({ rule: gap.rule, severity: gap.severity });
    }
    if (published.events.length > 0) {
      this.runtime.publisher.afterCommit();
      this.runtime.logger.warn(
        { gaps: published.events.map((e) => e.subject) },
        'traceability gaps detected',
      );
    }
    return published.events;
  }
}
