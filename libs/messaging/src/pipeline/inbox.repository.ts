import type { EntityManager } from 'typeorm';
import { dialectOf, params, timestampValue } from './sql-dialect';

/**
 * Records that `consumer` has applied the fact behind `idempotencyKey`. Returns false when it had
 * already done so: the caller then skips the handler. Run inside the handler's transaction, so
 * the row exists exactly when the handler's effects do. On PostgreSQL a concurrent insert of the
 * same key waits for the other transaction and then conflicts, so two deliveries cannot both pass.
 */
export async function recordInboxEntry(
  manager: EntityManager,
  entry: { consumer: string; idempotencyKey: string; messageId: string; processedAt?: Date },
): Promise<boolean> {
  const dialect = dialectOf(manager);
  const rows: unknown[] = await manager.query(
    `INSERT INTO inbox (consumer, idempotency_key, message_id, processed_at) VALUES (${params(dialect, 1, 4)})
     ON CONFLICT DO NOTHING RETURNING consumer`,
    [
      entry.consumer,
      entry.idempotencyKey,
      entry.messageId,
      timestampValue(dialect, entry.processedAt ?? new Date()),
    ],
  );
  return rows.length === 1;
}
