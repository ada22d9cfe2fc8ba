import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * What a production order consumed (`role` input) and declared (`role` output), per lot, with
 * the quantity summed over its consumptions. Links are derived from these rows whichever of the
 * two arrives first, so out-of-order events still give the right graph.
 */
@Entity({ name: 'order_lot' })
@Index('ix_order_lot_lot', ['lotSeq'])
export class OrderLot {
  @PrimaryColumn({
    name: 'order_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_order_lot',
  })
  orderId!: string;

  @PrimaryColumn({
    name: 'role',
    type: 'varchar',
    length: 8,
    primaryKeyConstraintName: 'pk_order_lot',
  })
  role!: 'input' | 'output';

  @PrimaryColumn({ name: 'lot_seq', type: 'integer', primaryKeyConstraintName: 'pk_order_lot' })
  lotSeq!: number;

  @Column({ name: 'quantity_value', type: 'double precision', nullable: true })
  quantityValue!: number | null;

  @Column({ name: 'quantity_uom', type: 'varchar', length: 16, nullable: true })
  quantityUom!: string | null;

  /** When it was first consumed or declared at the source. */
  @Column({ name: 'at', type: 'timestamptz' })
  at!: Date;
}
