import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A production order as the genealogy sees it: known once it consumes, declares or completes. */
@Entity({ name: 'production_order' })
export class ProductionOrder {
  @PrimaryColumn({
    name: 'order_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_production_order',
  })
  orderId!: string;

  @Column({ name: 'plant', type: 'varchar', length: 32 })
  plant!: string;

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
