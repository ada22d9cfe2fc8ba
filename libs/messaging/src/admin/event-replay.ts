import { appendAudit, type AuditActorKind } from '@threadline/audit';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { MessagingRuntime } from '../messaging.runtime';
import { propertiesFor } from '../pipeline/message-headers';
import { dialectOf, param } from '../pipeline/sql-dialect';
import { withTransaction } from '../pipeline/transaction';
import { EVENTS_EXCHANGE } from '../topology';

/** The most events one replay sends. */
export const REPLAY_LIMIT = 1_000;

export interface ReplayRequest {
  /** The events, by id; or every event of one business transaction. */
  readonly ids?: readonly string[];
  readonly correlationId?: string;
  readonly actor: string;
  readonly actorKind?: AuditActorKind;
  readonly reason: string;
}

export interface ReplayOutcome {
  readonly replayed: number;
  readonly ids: readonly string[];
}

/**
 * Sends events from the event log to the events exchange again, exactly as first published
 * (same id, same idempotency key), in time order: a consumer that had them drops them as
 * duplicates, one that missed them (a new service, a handler fixed since) gets them now. The
 * replay is written to the audit log before anything is sent.
 */
export async function replayEvents(
  runtime: MessagingRuntime,
  request: ReplayRequest,
): Promise<ReplayOutcome> {
  const events = await withTransaction(runtime.dataSource, async (runner) => {
    const dialect = dialectOf(runner.manager);
    const p = param(dialect, 1);
    const where = request.correlationId
      ? `correlation_id = ${p}`
      : dialect === 'postgres'
        ? `id = ANY(${p})`
        : `id IN (SELECT value FROM json_each(${p}))`;
    const value = request.correlationId
      ? request.correlationId
      : dialect === 'postgres'
        ? [...(request.ids ?? [])]
        : JSON.stringify(request.ids ?? []);
    const rows: { body: unknown }[] = await runner.manager.query(
      `SELECT body FROM event_log WHERE ${where} ORDER BY time, id LIMIT ${REPLAY_LIMIT}`,
      [value],
    );
    const found = rows.map(
      (row) =>
        (typeof row.body === 'string' ? JSON.parse(row.body) : row.body) as CloudEventEnvelope,
    );
    if (found.length === 0) return found;
    await appendAudit(runner.manager, {
      actor: { id: request.actor, kind: request.actorKind ?? 'user' },
      action: 'replay',
      subject: request.correlationId ?? found[0].id,
      reason: request.reason,
      detail: {
        count: found.length,
        ...(request.correlationId ? { correlationId: request.correlationId } : {}),
        eventIds: found.slice(0, 100).map((event) => event.id),
      },
    });
    return found;
  });
  if (events.length > 0) {
    await runtime.driver.publish(
      events.map((event) => ({
        exchange: EVENTS_EXCHANGE,
        routingKey: event.type,
        body: Buffer.from(JSON.stringify(event)),
        properties: propertiesFor(event),
      })),
    );
  }
  return { replayed: events.length, ids: events.map((event) => event.id) };
}
