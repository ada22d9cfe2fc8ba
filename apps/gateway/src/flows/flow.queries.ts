import { dialectOf, param } from '@threadline/messaging';
import { isoTime, jsonValue } from '@threadline/traceability';
import type { DataSource } from 'typeorm';
import type { KeysetPosition } from '../api/pagination';
import { SqlFilter } from '../api/sql-filter';
import type { FlowState, FlowStepView, FlowSummary, FlowView } from '../api/model';

export interface FlowFilter {
  readonly type?: string;
  readonly state?: FlowState;
  readonly subject?: string;
  readonly correlationId?: string;
}

interface FlowRow {
  id: string;
  type: string;
  state: FlowState;
  subject: string;
  plant: string;
  correlation_id: string;
  current_step: string | null;
  started_at: unknown;
  updated_at: unknown;
}

const COLUMNS =
  'id, type, state, subject, plant, correlation_id, current_step, started_at, updated_at';

/** The orchestrator's flow_instance and flow_step tables, read only. */
export class FlowQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first (started_at, then id, descending), `limit` rows after `after`. */
  async list(filter: FlowFilter, limit: number, after?: KeysetPosition): Promise<FlowSummary[]> {
    const sql = SqlFilter.for(this.dataSource)
      .equals('type', filter.type)
      .equals('state', filter.state)
      .equals('subject', filter.subject)
      .equals('correlation_id', filter.correlationId)
      .after('started_at', after, 'desc');
    const rows: FlowRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM flow_instance${sql.where}` +
        ` ORDER BY ${sql.time('started_at')} DESC, id DESC LIMIT ${Number(limit)}`,
      sql.values,
    );
    return rows.map(summaryOf);
  }

  async get(id: string): Promise<FlowView | undefined> {
    const p = param(dialectOf(this.dataSource.manager), 1);
    const rows: FlowRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM flow_instance WHERE id = ${p}`,
      [id],
    );
    if (rows.length === 0) return undefined;
    const steps: { name: string; state: string; at: unknown; detail: unknown }[] =
      await this.dataSource.query(
        `SELECT name, state, at, detail FROM flow_step WHERE flow_id = ${p} ORDER BY seq`,
        [id],
      );
    return {
      ...summaryOf(rows[0]),
      steps: steps.map((step): FlowStepView => ({
        name: step.name,
        state: step.state,
        at: isoTime(step.at)!,
        detail: step.detail === null ? null : jsonValue<Record<string, unknown>>(step.detail),
      })),
    };
  }
}

function summaryOf(row: FlowRow): FlowSummary {
  return {
    id: row.id,
    type: row.type,
    state: row.state,
    subject: row.subject,
    plant: row.plant,
    correlationId: row.correlation_id,
    currentStep: row.current_step,
    startedAt: isoTime(row.started_at)!,
    updatedAt: isoTime(row.updated_at)!,
  };
}
