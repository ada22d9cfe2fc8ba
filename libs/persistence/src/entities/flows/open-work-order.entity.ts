import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Maintenance work orders created and not yet completed, from the CMMS's events: the
 * orchestrator asks for no second work order on an asset that has an open one.
 */
@Entity({ name: 'open_work_order' })
@Index('ix_open_work_order_asset', ['assetId'])
export class OpenWorkOrder {
  @PrimaryColumn({
    name: 'work_order_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_open_work_order',
  })
  workOrderId!: string;

  @Column({ name: 'asset_id', type: 'varchar', length: 64 })
  assetId!: string;

  @Column({ name: 'plant', type: 'varchar', length: 32 })
  plant!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
