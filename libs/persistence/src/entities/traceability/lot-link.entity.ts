import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One genealogy edge: lot `fromSeq` was consumed by order `orderId`, which declared lot `toSeq`.
 * `quantity` is how much of the input that order consumed. The primary key serves forward
 * traces (children of a lot), `ix_lot_link_to` (`to_seq, from_seq`) backward traces (parents of
 * a lot). On PostgreSQL a migration replaces it with covering indexes both ways (INCLUDE, which
 * entities cannot declare). The indexes are created by the migrations and listed here
 * unsynchronised, so the schema builder leaves them alone.
 */
@Entity({ name: 'lot_link' })
@Index('ix_lot_link_to', { synchronize: false })
@Index('ix_lot_link_to_cover', { synchronize: false })
@Index('ix_lot_link_from_cover', { synchronize: false })
export class LotLink {
  @PrimaryColumn({ name: 'from_seq', type: 'integer', primaryKeyConstraintName: 'pk_lot_link' })
  fromSeq!: number;

  @PrimaryColumn({ name: 'to_seq', type: 'integer', primaryKeyConstraintName: 'pk_lot_link' })
  toSeq!: number;

  @PrimaryColumn({
    name: 'order_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_lot_link',
  })
  orderId!: string;

  @Column({ name: 'quantity_value', type: 'double precision', nullable: true })
  quantityValue!: number | null;

  @Column({ name: 'quantity_uom', type: 'varchar', length: 16, nullable: true })
  quantityUom!: string | null;
}
