import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { AuditLog, type AuditRecord } from '@threadline/audit';
import { badQuery, onlyKnown } from '@threadline/traceability';
import { DataSource } from 'typeorm';
import { GatewayRoutes } from '../api/answers';
import { decodeCursor, pageOf, type Page } from '../api/pagination';
import { ApiPaging, limitParam } from '../api/paging-params';
import { textParam } from '../api/params';
import { AuditEntryPageSchema, type AuditEntryView } from './audit.schemas';

const PAGING = { max: 1000, fallback: 100 };

/** Where the data source of the audit log is injected (null when only documenting). */
export const AUDIT_DATA_SOURCE = Symbol('AUDIT_DATA_SOURCE');

/** An RFC 3339 time with a zone (`2026-12-01T08:00:00Z`), or a 400 naming the field. */
function timeParam(field: string, value: unknown): Date | undefined {
  const text = textParam(field, value, 40);
  if (text === undefined) return undefined;
  const pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
  const time = Date.parse(text);
  if (!pattern.test(text) || Number.isNaN(time)) {
    throw badQuery(field, 'must be an RFC 3339 time with a zone, e.g. 2026-12-01T08:00:00Z');
  }
  return new Date(time);
}

function isSeqPosition(position: unknown): position is { s: number } {
  const candidate = position as { s?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Number.isInteger(candidate.s) &&
    (candidate.s as number) >= 0
  );
}

function view(record: AuditRecord): AuditEntryView {
  return { ...record, at: record.at.toISOString() };
}

/** The hash-chained audit log (libs/audit), for auditors. */
@GatewayRoutes('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(@Inject(AUDIT_DATA_SOURCE) private readonly dataSource: DataSource) {}

  @ApiOperation({
    summary: 'Audit log entries in the order appended, filtered by subject, actor and time',
    description:
      'Every decision and override (holds, dispositions, re-drives, replays, API keys, ' +
      'configuration, failed logins) with who, why and the causing event. `from` is ' +
      'inclusive, `to` exclusive. `npx threadline audit verify` checks the hash chain.',
  })
  @ApiQuery({ name: 'subject', required: false, schema: { type: 'string', maxLength: 200 } })
  @ApiQuery({
    name: 'actor',
    required: false,
    description: 'The actor id (user, API key or service).',
    schema: { type: 'string', maxLength: 200 },
  })
  @ApiQuery({ name: 'action', required: false, schema: { type: 'string', maxLength: 64 } })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiPaging(PAGING)
  @ApiOkResponse({ type: AuditEntryPageSchema })
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<Page<AuditEntryView>> {
    onlyKnown(query, ['subject', 'actor', 'action', 'from', 'to', 'limit', 'cursor']);
    const filter = {
      subject: textParam('subject', query.subject, 200),
      actor: textParam('actor', query.actor, 200),
      action: textParam('action', query.action, 64),
    };
    const from = timeParam('from', query.from);
    const to = timeParam('to', query.to);
    if (from !== undefined && to !== undefined && from.getTime() >= to.getTime()) {
      throw badQuery('to', 'must be after from');
    }
    const limit = limitParam(query.limit, PAGING);
    const after = decodeCursor(query.cursor, isSeqPosition);
    const records = await AuditLog.query(this.dataSource, {
      ...(filter.subject !== undefined ? { subject: filter.subject } : {}),
      ...(filter.actor !== undefined ? { actorId: filter.actor } : {}),
      ...(filter.action !== undefined ? { action: filter.action } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(after !== undefined ? { afterSeq: after.s } : {}),
      limit: limit + 1,
    });
    return pageOf(records.map(view), limit, (last) => ({ s: last.seq }), '/api/v1/audit', {
      ...filter,
      from: typeof query.from === 'string' ? query.from : undefined,
      to: typeof query.to === 'string' ? query.to : undefined,
      limit,
    });
  }
}
