import type { EntityManager } from 'typeorm';
import { dialectOf, timestampValue, valuesList } from './sql-dialect';

export interface InboxEntryValues {
  consumer: string;
  idempotencyKey: string;
  messageId: string;
}

/**
 * Records that `consumer` has applied the fact behind `idempotencyKey`. Returns false when it had
 * already done so: the caller then skips the handler. Run inside the handler's transaction, so
 * the row exists exactly when the handler's effects do. On PostgreSQL a concurrent insert of the
 * same key waits for the other transaction and then conflicts, so two deliveries cannot both pass.
 */
export async function recordInboxEntry(
  manager: EntityManager,
  entry: InboxEntryValues,
): Promise<boolean> {
  return (await recordInboxEntries(manager, [entry])).has(entry.idempotencyKey);
}

/**
 * The same for many entries in one statement (keys must be distinct); returns the keys that were
 * new. Keys are inserted in sorted order, so concurrent batches lock them in the same order and
 * cannot deadlock on each other.
 */
export async function recordInboxEntries(
  manager: EntityManager,
  entries: readonly InboxEntryValues[],
  processedAt = new Date(),
): Promise<Set<string>> {
  const dialect = dialectOf(manager);
  const at = timestampValue(dialect, processedAt);
  const sorted = [...entries].sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : 1));
  const rows: { idempotency_key: string }[] = await manager.query(
    `INSERT INTO inbox (consumer, idempotency_key, message_id, processed_at) VALUES ${valuesList(dialect, sorted.length, 4)}
     ON CONFLICT DO NOTHING RETURNING idempotency_key`,
    sorted.flatMap((e) => [e.consumer, e.idempotencyKey, e.messageId, at]),
  );
  return new Set(rows.map((row) => row.idempotency_key));
}
