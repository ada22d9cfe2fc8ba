import { dialectOf, param, timestampValue } from '@threadline/messaging';
import type { Logger, MetricsRegistry } from '@threadline/observability';
import type { DataSource } from 'typeorm';

export interface EdgeBufferBound {
  maxBytes: number;
  maxAgeHours: number;
}

const CHECK_EVERY_MS = 30_000;

/**
 * Keeps the unsent part of the outbox (the edge buffer while the broker is away) within its
 * bound: past `maxBytes` or `maxAgeHours` the oldest unsent events are dropped, counted in
 * `threadline_plc_buffer_dropped_total` and logged as an error with how many and why. Never
 * silent; never touches what was sent.
 */
export class EdgeBufferJanitor {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly options: {
      connector: string;
      bound: EdgeBufferBound;
      dataSource: DataSource;
      logger: Logger;
      metrics?: MetricsRegistry;
      now?: () => number;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.enforce().catch(() => undefined), CHECK_EVERY_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One check; resolves with how many events were dropped. */
  async enforce(): Promise<number> {
    const dropped = (await this.dropTooOld()) + (await this.dropOverSize());
    if (dropped > 0) {
      this.options.metrics?.plcBufferDropped.inc({ connector: this.options.connector }, dropped);
    }
    return dropped;
  }

  private async dropTooOld(): Promise<number> {
    const { dataSource, bound, now } = this.options;
    const dialect = dialectOf(dataSource.manager);
    const cutoff = new Date((now ?? Date.now)() - bound.maxAgeHours * 3_600_000);
    const ids = await this.ids(
      `SELECT id FROM outbox WHERE sent_at IS NULL AND created_at < ${param(dialect, 1)} ORDER BY id`,
      [timestampValue(dialect, cutoff)],
    );
    return this.drop(ids, `older than ${bound.maxAgeHours} h`);
  }

  private async dropOverSize(): Promise<number> {
    const { dataSource, bound } = this.options;
    const [{ bytes }] = await dataSource.query<{ bytes: string | number }[]>(
      'SELECT COALESCE(SUM(LENGTH(body)), 0) AS bytes FROM outbox WHERE sent_at IS NULL',
    );
    let excess = Number(bytes) - bound.maxBytes;
    if (excess <= 0) return 0;
    const oldest = await dataSource.query<{ id: string | number; size: string | number }[]>(
      'SELECT id, LENGTH(body) AS size FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT 100000',
    );
    const ids: (string | number)[] = [];
    for (const row of oldest) {
      if (excess <= 0) break;
      ids.push(row.id);
      excess -= Number(row.size);
    }
    return this.drop(ids, `over ${bound.maxBytes} bytes`);
  }

  private async ids(sql: string, parameters: unknown[]): Promise<(string | number)[]> {
    const rows = await this.options.dataSource.query<{ id: string | number }[]>(sql, parameters);
    return rows.map((row) => row.id);
  }

  private async drop(ids: (string | number)[], why: string): Promise<number> {
    if (ids.length === 0) return 0;
    const dialect = dialectOf(this.options.dataSource.manager);
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const placeholders = chunk.map((_, index) => param(dialect, index + 1)).join(', ');
      await this.options.dataSource.query(
        `DELETE FROM outbox WHERE sent_at IS NULL AND id IN (${placeholders})`,
        chunk,
      );
    }
    this.options.logger.error(
      { connector: this.options.connector, dropped: ids.length, reason: why },
      `edge buffer full: dropped the ${ids.length} oldest unsent event(s), ${why}`,
    );
    return ids.length;
  }
}
