import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn } from 'typeorm';
import { bigintAsString } from './column-types';

/**
 * An event or command waiting to be published (transactional outbox). Written in the same
 * transaction as the state change that produced it; the relay publishes unsent rows in `id`
 * order with publisher confirms and then sets `sentAt`.
 */
@Entity({ name: 'outbox' })
// Unsent rows of a subject in order: the relay's per-subject ordering check reads only these.
@Index('ix_outbox_subject_id', ['subject', 'id'], { where: '"sent_at" IS NULL' })
@Index('ix_outbox_unsent', ['id'], { where: '"sent_at" IS NULL' })
export class OutboxMessage {
  /** Publication order. A decimal string (bigint on PostgreSQL, integer on SQLite). */
  @PrimaryColumn({
    name: 'id',
    type: 'bigint',
    primaryKeyConstraintName: 'pk_outbox',
    transformer: bigintAsString,
  })
  @Generated('increment')
  id!: string;

  /** The CloudEvent `id`, also the AMQP `message_id`. */
  @Index('uq_outbox_message_id', { unique: true })
  @Column({ name: 'message_id', type: 'varchar', length: 128 })
  messageId!: string;

  @Column({ name: 'exchange', type: 'varchar', length: 128 })
  exchange!: string;

  @Column({ name: 'routing_key', type: 'varchar', length: 256 })
  routingKey!: string;

  @Column({ name: 'subject', type: 'varchar', length: 128 })
  subject!: string;

  /** The serialized CloudEvent exactly as it will be published. */
  @Column({ name: 'body', type: 'text' })
  body!: string;

  /** JSON object of extra AMQP headers and properties for the publish. */
  @Column({ name: 'headers', type: 'text' })
  headers!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
