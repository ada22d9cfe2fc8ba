import { withTransaction, type MessagingRuntime } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { FlowEngine } from './flow-engine';
import { FlowStore } from './flow-store';

/** Timers fired per poll at most; the rest wait for the next poll. */
const BATCH = 100;

/**
 * Fires due flow timers every `intervalMs`. Each timer is fired in its own transaction with
 * what it causes (an escalation, a re-sent command, the next step), so a crash fires it again
 * and two pollers never fire it twice.
 */
export class TimerPoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runtime: MessagingRuntime,
    private readonly engine: FlowEngine,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() =>
        this.poll().catch((error: unknown) =>
          this.runtime.logger.error({ err: error }, 'flow timer poll failed; retrying'),
        ),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Fires the timers due at `now`; answers how many it fired. */
  async poll(now = new Date()): Promise<number> {
    const due = await withTransaction(this.runtime.dataSource, (runner) =>
      new FlowStore(runner.manager).due(now, BATCH),
    );
    let fired = 0;
    for (const timer of due) {
      const published = await withTransaction(this.runtime.dataSource, async (runner) => {
        const store = new FlowStore(runner.manager);
        if (!(await store.fire(timer, now))) return undefined;
        const events: CloudEventEnvelope[] = [];
        await this.engine.onTimer(
          timer,
          runner.manager,
          (event) => {
            events.push(event);
            return Promise.resolve();
          },
          now,
        );
        await this.runtime.publisher.publishIn(runner.manager, ...events);
        return events;
      });
      if (published === undefined) continue;
      fired += 1;
      if (published.length > 0) this.runtime.publisher.afterCommit();
    }
    return fired;
  }
}
