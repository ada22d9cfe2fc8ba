import type { CloudEvent } from '@threadline/contracts';
import { withTransaction, type EventPublisher } from '@threadline/messaging';
import type { Logger } from '@threadline/observability';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { DataSource } from 'typeorm';
import type { PollingSource } from '../config/connector-config.types';
import type { CursorStore } from '../cursor/cursor.store';
import type { InboundMapper } from '../mapping/inbound-mapper';
import type { CompiledMapping } from '../mapping/mapping';
import type { MappingRejection, MappingRejectionSink } from '../mapping/mapping-rejection';
import type { ConnectorAdapter } from './connector-spec.types';

export interface PollingLoopOptions {
  connector: string;
  source: PollingSource;
  adapter: ConnectorAdapter;
  mapper: InboundMapper;
  /** Records it is false for are skipped (several sources on one resource). */
  where?: CompiledMapping;
  cursors: CursorStore;
  dataSource: DataSource;
  publisher: EventPublisher;
  rejections: MappingRejectionSink;
  logger: Logger;
}

export interface PollResult {
  published: number;
  rejected: number;
  skipped: number;
  hasMore: boolean;
}

/**
 * Polls one source: read a page after the stored cursor, map every record, then write the
 * events to the outbox AND move the cursor in one transaction. A crash before the commit
 * repeats the page (the inbox drops what consumers already saw); after it, the next poll starts
 * after the page. No gap, no repeat. Records the mapping rejects go to the ingress DLQ before
 * the commit; if that fails, the cursor stays and the page is read again.
 */
export class PollingLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private failing = false;

  constructor(private readonly options: PollingLoopOptions) {}

  get name(): string {
    return this.options.source.name;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** No new polls; waits for the one in flight to commit or fail. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One page: published, rejected and skipped counts, and whether more is waiting. */
  async pollOnce(): Promise<PollResult> {
    const { connector, source, adapter, cursors } = this.options;
    const cursor = await cursors.get(connector, source.name);
    const page = await adapter.poll(source, cursor);
    const events: CloudEvent[] = [];
    const rejected: MappingRejection[] = [];
    let skipped = 0;
    for (const record of page.records) {
      if (this.options.where && !(await this.options.where.evaluate(record))) {
        skipped++;
        continue;
      }
      const mapped = await this.options.mapper.map(record);
      if (mapped.ok) events.push(mapped.event);
      else rejected.push(mapped.rejection);
    }
    for (const rejection of rejected) await this.options.rejections.reject(rejection);
    await this.commit(events, cursor, page.cursor);
    return { published: events.length, rejected: rejected.length, skipped, hasMore: page.hasMore };
  }

  private async commit(events: CloudEvent[], from?: string, to?: string): Promise<void> {
    const { connector, source, cursors, publisher, dataSource } = this.options;
    if (events.length === 0 && (to === undefined || to === from)) return;
    await withTransaction(dataSource, async (runner) => {
      if (events.length > 0)
        await publisher.publishIn(runner.manager, ...(events as CloudEventEnvelope[]));
      if (to !== undefined && to !== from) {
        await cursors.advance(runner.manager, connector, source.name, to);
      }
    });
    if (events.length > 0) publisher.afterCommit();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    const intervalMs = this.options.source.intervalSeconds * 1000;
    try {
      const result = await this.pollOnce();
      if (this.failing) this.options.logger.info({ source: this.name }, 'polling recovered');
      this.failing = false;
      this.schedule(result.hasMore ? 0 : intervalMs);
    } catch (error) {
      // Logged once per outage, not on every interval.
      if (!this.failing) {
        this.options.logger.warn(
          { source: this.name, err: error },
          'polling failed; retrying every interval',
        );
      }
      this.failing = true;
      this.schedule(intervalMs);
    }
  }
}
