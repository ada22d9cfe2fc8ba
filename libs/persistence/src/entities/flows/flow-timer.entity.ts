import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A durable timer: a step's deadline for its answer, or a delay it waits out. The poller fires
 * due timers (`fired_at` set in the transaction that acts on them), so a timer survives restarts
 * and fires once. The id is derived from flow, step and attempt, so re-arming is idempotent.
 */
@Entity({ name: 'flow_timer' })
@Index('ix_flow_timer_due', ['dueAt'], { where: '"fired_at" IS NULL' })
export class FlowTimer {
  @PrimaryColumn({
    name: 'id',
    type: 'varchar',
    length: 120,
    primaryKeyConstraintName: 'pk_flow_timer',
  })
  id!: string;

  @Column({ name: 'flow_id', type: 'varchar', length: 36 })
  flowId!: string;

  @Column({ name: 'step', type: 'varchar', length: 64 })
  step!: string;

  @Column({ name: 'attempt', type: 'integer' })
  attempt!: number;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt!: Date | null;
}
