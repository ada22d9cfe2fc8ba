import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The flow's timeline: one row per thing that happened to a step (commands sent, answer
 * received, escalated, refused, skipped, compensated ...), in order. Never updated.
 */
@Entity({ name: 'flow_step' })
@Index('uq_flow_step_flow_seq', ['flowId', 'seq'], { unique: true })
export class FlowStep {
  @PrimaryGeneratedColumn({ name: 'id', type: 'integer', primaryKeyConstraintName: 'pk_flow_step' })
  id!: number;

  @Column({ name: 'flow_id', type: 'varchar', length: 36 })
  flowId!: string;

  @Column({ name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ name: 'name', type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'state', type: 'varchar', length: 16 })
  state!: string;

  @Column({ name: 'at', type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'detail', type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;
}
