import { isoTime, jsonValue } from '@threadline/traceability';
import type { DataSource } from 'typeorm';
import type { EventView } from '../api/model';
import type { KeysetPosition } from '../api/pagination';
import { SqlFilter } from '../api/sql-filter';

export interface EventFilter {
  readonly correlationId?: string;
  readonly subject?: string;
  readonly type?: string;
}

interface EventRow {
  id: string;
  type: string;
  time: unknown;
  subject: string;
  correlation_id: string;
  causation_id: string | null;
  plant: string;
  source: string;
  recorded_at: unknown;
  body: unknown;
}

/** A business transaction's events from event_log, in time order (then by id). */
export class EventQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: EventFilter, limit: number, after?: KeysetPosition): Promise<EventView[]> {
    const sql = SqlFilter.for(this.dataSource)
      .equals('correlation_id', filter.correlationId)
      .equals('subject', filter.subject)
      .equals('type', filter.type)
      .after('time', after, 'asc');
    const rows: EventRow[] = await this.dataSource.query(
      'SELECT id, type, time, subject, correlation_id, causation_id, plant, source, ' +
        `recorded_at, body FROM event_log${sql.where}` +
        ` ORDER BY ${sql.time('time')}, id LIMIT ${Number(limit)}`,
      sql.values,
    );
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      time: isoTime(row.time)!,
      subject: row.subject,
      correlationId: row.correlation_id,
      causationId: row.causation_id,
      plant: row.plant,
      source: row.source,
      recordedAt: isoTime(row.recorded_at)!,
      data: jsonValue<{ data?: unknown }>(row.body).data ?? {},
    }));
  }
}
