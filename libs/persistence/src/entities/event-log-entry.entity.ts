import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every accepted event, for replay and for following a business transaction by its
 * `correlationid`. Envelope attributes are columns so they can be indexed; `body` holds the
 * whole CloudEvent (jsonb on PostgreSQL, JSON text on SQLite).
 */
@Entity({ name: 'event_log' })
@Index('ix_event_log_correlation_time', ['correlationId', 'time'])
@Index('ix_event_log_subject_time', ['subject', 'time'])
@Index('ix_event_log_type_time', ['type', 'time'])
export class EventLogEntry {
  /** The CloudEvent `id`. */
  @PrimaryColumn({
    name: 'id',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'pk_event_log',
  })
  id!: string;

  @Column({ name: 'type', type: 'varchar', length: 128 })
  type!: string;

  @Column({ name: 'subject', type: 'varchar', length: 128 })
  subject!: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128 })
  correlationId!: string;

  @Column({ name: 'causation_id', type: 'varchar', length: 128, nullable: true })
  causationId!: string | null;

  /** When it happened at the source (CloudEvent `time`). */
  @Column({ name: 'time', type: 'timestamptz' })
  time!: Date;

  @Column({ name: 'plant', type: 'varchar', length: 32 })
  plant!: string;

  @Column({ name: 'source', type: 'varchar', length: 256 })
  source!: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 256 })
  idempotencyKey!: string;

  /** The whole CloudEvent as a JSON object. */
  @Column({ name: 'body', type: 'jsonb' })
  body!: Record<string, unknown>;

  /** When Threadline accepted it. */
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
