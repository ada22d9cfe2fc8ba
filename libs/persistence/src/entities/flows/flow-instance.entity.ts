import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type FlowState = 'running' | 'escalated' | 'completed' | 'failed';

/**
 * One run of an orchestrator flow (a nonconformance's containment, a lot's incoming inspection
 * ...). One per flow type and subject, so a duplicated trigger never starts a second one. The
 * definition's position (`cursor`) and its data (`context`) are all the engine needs to go on
 * after a restart; `version` guards against two writers (a consumer and the timer poller).
 */
@Entity({ name: 'flow_instance' })
@Index('uq_flow_instance_type_subject', ['type', 'subject'], { unique: true })
@Index('ix_flow_instance_state_updated', ['state', 'updatedAt'])
@Index('ix_flow_instance_correlation', ['correlationId'])
export class FlowInstance {
  @PrimaryColumn({
    name: 'id',
    type: 'varchar',
    length: 36,
    primaryKeyConstraintName: 'pk_flow_instance',
  })
  id!: string;

  @Column({ name: 'type', type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'subject', type: 'varchar', length: 160 })
  subject!: string;

  @Column({ name: 'plant', type: 'varchar', length: 32 })
  plant!: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128 })
  correlationId!: string;

  @Column({ name: 'state', type: 'varchar', length: 16 })
  state!: FlowState;

  /** Index of the step the flow is at; the number of steps once it has ended. */
  @Column({ name: 'cursor', type: 'integer' })
  cursor!: number;

  /** The name of the step the flow is at (null once ended), for lists and filters. */
  @Column({ name: 'current_step', type: 'varchar', length: 64, nullable: true })
  currentStep!: string | null;

  @Column({ name: 'context', type: 'jsonb' })
  context!: Record<string, unknown>;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'version', type: 'integer' })
  version!: number;
}
