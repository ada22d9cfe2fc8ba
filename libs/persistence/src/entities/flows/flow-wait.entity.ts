import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * What a flow listens for: an answer to a command it sent (`answer:{commandId}`), its failure
 * (`failed:{commandId}`), or a business event by key (`{type}:{key}`). An event is routed to
 * flows by its keys, never by scanning flows.
 */
@Entity({ name: 'flow_wait' })
@Index('ix_flow_wait_flow', ['flowId'])
export class FlowWait {
  @PrimaryColumn({
    name: 'match_key',
    type: 'varchar',
    length: 240,
    primaryKeyConstraintName: 'pk_flow_wait',
  })
  matchKey!: string;

  @PrimaryColumn({
    name: 'flow_id',
    type: 'varchar',
    length: 36,
    primaryKeyConstraintName: 'pk_flow_wait',
  })
  flowId!: string;

  @Column({ name: 'step', type: 'varchar', length: 64 })
  step!: string;
}
