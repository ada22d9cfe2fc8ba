import { randomUUID } from 'node:crypto';
import { BeforeInsert, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type DlqActionKind = 'redrive';

/**
 * One operator action on a dead-letter queue (e.g. a re-drive of some messages), kept for the
 * record. One row per action, with the message ids as a JSON array: an action is what gets
 * audited and listed, and a re-drive of 500 messages stays one line in the history.
 */
@Entity({ name: 'dlq_action' })
@Index('ix_dlq_action_queue_at', ['queue', 'at'])
export class DlqAction {
  /** Set on insert when the caller leaves it empty. */
  @PrimaryColumn({ name: 'id', type: 'uuid', primaryKeyConstraintName: 'pk_dlq_action' })
  id!: string;

  @Column({ name: 'queue', type: 'varchar', length: 256 })
  queue!: string;

  @Column({ name: 'action', type: 'varchar', length: 32 })
  action!: DlqActionKind;

  /** CloudEvent ids of the messages acted on, stored as a JSON array (text). */
  @Column({ name: 'message_ids', type: 'simple-json' })
  messageIds!: string[];

  @Column({ name: 'count', type: 'integer' })
  count!: number;

  @Column({ name: 'actor', type: 'varchar', length: 200 })
  actor!: string;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at!: Date;

  @BeforeInsert()
  protected assignId(): void {
    this.id ||= randomUUID();
  }
}
