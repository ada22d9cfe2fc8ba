import { timestampValue, type BufferedInsert, type Dialect } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';

/** event_log rows; an event id already recorded (a re-publish) is skipped. */
export const EVENT_LOG_INSERT: BufferedInsert = {
  table: 'event_log',
  columns: [
    'id',
    'type',
    'subject',
    'correlation_id',
    'causation_id',
    'time',
    'plant',
    'source',
    'idempotency_key',
    'body',
  ],
  skipConflictsOn: ['id'],
};

/** The row of one event (`body`: its JSON as received), with its time as the driver binds it. */
export function eventLogValues(
  event: CloudEventEnvelope,
  body: Buffer,
  dialect: Dialect,
): unknown[] {
  const time = timestampValue(dialect, new Date(event.time));
  return [
    event.id,
    event.type,
    event.subject,
    event.correlationid,
    event.causationid ?? null,
    time,
    event.plant,
    event.source,
    event.idempotencykey,
    // The bytes as received: the event log keeps exactly what was accepted.
    body.toString('utf8'),
  ];
}
