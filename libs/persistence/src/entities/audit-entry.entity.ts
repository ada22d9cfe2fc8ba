import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One entry of the hash-chained audit log (ADR 0012): a decision or override, who made it and
 * why. Append-only: `seq` is assigned 1, 2, 3 ... under a lock by libs/audit, `prev_hash` is the
 * previous entry's `hash`, and `hash` is SHA-256 over the entry's canonical serialization
 * (including `seq` and `prev_hash`), so any UPDATE, DELETE or reordering is detectable.
 * Written only through `AuditLog.append` (libs/audit); never updated or deleted.
 */
@Entity({ name: 'audit_entry' })
@Index('ix_audit_entry_subject_seq', ['subject', 'seq'])
@Index('ix_audit_entry_actor_seq', ['actorId', 'seq'])
@Index('ix_audit_entry_at', ['at'])
export class AuditEntry {
  @PrimaryColumn({ name: 'seq', type: 'integer', primaryKeyConstraintName: 'pk_audit_entry' })
  seq!: number;

  @Column({ name: 'at', type: 'timestamptz' })
  at!: Date;

  /** Who: a user id (JWT subject), an API key id, or a service name. */
  @Column({ name: 'actor_id', type: 'varchar', length: 200 })
  actorId!: string;

  /** What kind of actor: user, apikey, service or system. */
  @Column({ name: 'actor_kind', type: 'varchar', length: 16 })
  actorKind!: string;

  /** What was decided, e.g. hold.placed, hold.released, disposition.recorded. */
  @Column({ name: 'action', type: 'varchar', length: 64 })
  action!: string;

  /** What it was about (a lot, an NC, a hold, a queue, a file ...). */
  @Column({ name: 'subject', type: 'varchar', length: 200, nullable: true })
  subject!: string | null;

  /** Why: the reason given (the meaning of a signature), or the rule that refused. */
  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  /** The CloudEvent id of the event that caused the decision, when there is one. */
  @Column({ name: 'cause_event_id', type: 'varchar', length: 128, nullable: true })
  causeEventId!: string | null;

  @Column({ name: 'detail', type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ name: 'hash', type: 'varchar', length: 64 })
  hash!: string;
}
