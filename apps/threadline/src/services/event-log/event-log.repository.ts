import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { EntityManager } from 'typeorm';

/** Inserts the event once; the same event id arriving again (a re-publish) changes nothing. */
export async function appendToEventLog(
  manager: EntityManager,
  event: CloudEventEnvelope,
): Promise<void> {
  const postgres = manager.connection.options.type === 'postgres';
  const p = (n: number) => (postgres ? `$${n}` : '?');
  const time = postgres
    ? event.time
    : new Date(event.time).toISOString().replace('T', ' ').replace('Z', '');
  await manager.query(
    `INSERT INTO event_log (id, type, subject, correlation_id, causation_id, time, plant, source, idempotency_key, body)
     VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(p).join(', ')}) ON CONFLICT (id) DO NOTHING`,
    [
      event.id,
      event.type,
      event.subject,
      event.correlationid,
      event.causationid ?? null,
      time,
      event.plant,
      event.source,
      event.idempotencykey,
      JSON.stringify(event),
    ],
  );
}
