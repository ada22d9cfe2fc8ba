import { CreateDateColumn, Entity, Column, PrimaryColumn } from 'typeorm';

/**
 * Proof that `consumer` has applied the fact behind `idempotencyKey`. Inserted in the handler's
 * transaction, so a redelivered message finds it and is acknowledged without a second effect.
 */
@Entity({ name: 'inbox' })
export class InboxEntry {
  @PrimaryColumn({
    name: 'consumer',
    type: 'varchar',
    length: 200,
    primaryKeyConstraintName: 'pk_inbox',
  })
  consumer!: string;

  @PrimaryColumn({
    name: 'idempotency_key',
    type: 'varchar',
    length: 256,
    primaryKeyConstraintName: 'pk_inbox',
  })
  idempotencyKey!: string;

  /** The CloudEvent `id` of the delivery that was applied (for tracing, not for dedup). */
  @Column({ name: 'message_id', type: 'varchar', length: 128 })
  messageId!: string;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt!: Date;
}
