import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { EntityManager } from 'typeorm';
import { Header } from '../pipeline/message-headers';
import { dialectOf, timestampValue, valuesList } from '../pipeline/sql-dialect';

/**
 * Stored with the row's headers, read by the relay, never sent as a header: the correlation id
 * travels as the AMQP correlation_id property (catalog §1).
 */
export const CORRELATION_ID = 'threadline-correlation-id';

export interface OutboxRecord {
  messageId: string;
  exchange: string;
  routingKey: string;
  subject: string;
  body: string;
  headers: string;
}

export function outboxRecordFor(event: CloudEventEnvelope, exchange: string): OutboxRecord {
  return {
    messageId: event.id,
    exchange,
    routingKey: event.type,
    subject: event.subject,
    body: JSON.stringify(event),
    // What the relay needs for the AMQP properties, so it never re-parses the body.
    headers: JSON.stringify({
      [Header.IdempotencyKey]: event.idempotencykey,
      [CORRELATION_ID]: event.correlationid,
    }),
  };
}

const COLUMNS = 7;
/** Rows per INSERT: well under SQLite's 32,766 bound parameters. */
const ROWS_PER_STATEMENT = 500;

/** Appends events to the outbox in the caller's transaction; the relay publishes them later. */
export async function insertOutboxRecords(
  manager: EntityManager,
  records: readonly OutboxRecord[],
  now = new Date(),
): Promise<void> {
  const dialect = dialectOf(manager);
  const createdAt = timestampValue(dialect, now);
  for (let start = 0; start < records.length; start += ROWS_PER_STATEMENT) {
    const chunk = records.slice(start, start + ROWS_PER_STATEMENT);
    const values = valuesList(dialect, chunk.length, COLUMNS);
    const parameters = chunk.flatMap((r) => [
      r.messageId,
      r.exchange,
      r.routingKey,
      r.subject,
      r.body,
      r.headers,
      createdAt,
    ]);
    await manager.query(
      `INSERT INTO outbox (message_id, exchange, routing_key, subject, body, headers, created_at) VALUES ${values}`,
      parameters,
    );
  }
}
