import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One line of a dispatched shipment: which lot went to which customer, and how much. */
@Entity({ name: 'shipment_line' })
@Index('ix_shipment_line_lot', ['lotSeq'])
export class ShipmentLine {
  @PrimaryColumn({
    name: 'shipment_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_shipment_line',
  })
  shipmentId!: string;

  @PrimaryColumn({ name: 'line_no', type: 'integer', primaryKeyConstraintName: 'pk_shipment_line' })
  lineNo!: number;

  @Column({ name: 'lot_seq', type: 'integer' })
  lotSeq!: number;

  @Column({ name: 'customer_id', type: 'varchar', length: 64 })
  customerId!: string;

  @Column({ name: 'sales_order_id', type: 'varchar', length: 64 })
  salesOrderId!: string;

  @Column({ name: 'quantity_value', type: 'double precision' })
  quantityValue!: number;

  @Column({ name: 'quantity_uom', type: 'varchar', length: 16 })
  quantityUom!: string;

  @Column({ name: 'shipped_at', type: 'timestamptz' })
  shippedAt!: Date;

  @Column({ name: 'carrier', type: 'varchar', length: 64, nullable: true })
  carrier!: string | null;
}
