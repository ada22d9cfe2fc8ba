import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** How Threadline first learned of a lot. */
export type LotOrigin = 'received' | 'produced' | 'referenced';

/**
 * A lot in the genealogy index. `seq` is a compact surrogate key: links, shipments and the
 * timeline refer to it, so the traversal indexes hold integers, not 64-character ids. A lot named
 * by a link before its own event arrives is created as `referenced` and filled in later.
 * On PostgreSQL a migration adds `ix_lot_node` (`seq` INCLUDE id, material, status) for the
 * genealogy walk's node lookups; entities cannot declare INCLUDE, so it is listed unsynchronised.
 */
@Entity({ name: 'lot' })
@Index('uq_lot_lot_id', ['lotId'], { unique: true })
@Index('ix_lot_material', ['materialId'])
@Index('ix_lot_node', { synchronize: false })
export class Lot {
  @PrimaryGeneratedColumn({ name: 'seq', type: 'integer', primaryKeyConstraintName: 'pk_lot' })
  seq!: number;

  @Column({ name: 'lot_id', type: 'varchar', length: 64 })
  lotId!: string;

  @Column({ name: 'plant', type: 'varchar', length: 32, nullable: true })
  plant!: string | null;

  @Column({ name: 'material_id', type: 'varchar', length: 64, nullable: true })
  materialId!: string | null;

  @Column({ name: 'origin', type: 'varchar', length: 16 })
  origin!: LotOrigin;

  /** When it was received or declared at the source. */
  @Column({ name: 'origin_at', type: 'timestamptz', nullable: true })
  originAt!: Date | null;

  /** The ERP lot status (`unrestricted`, `quality-inspection`, `blocked`, `scrapped`). */
  @Column({ name: 'status', type: 'varchar', length: 24, nullable: true })
  status!: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt!: Date | null;

  @Column({ name: 'quantity_value', type: 'double precision', nullable: true })
  quantityValue!: number | null;

  @Column({ name: 'quantity_uom', type: 'varchar', length: 16, nullable: true })
  quantityUom!: string | null;

  @Column({ name: 'supplier_id', type: 'varchar', length: 64, nullable: true })
  supplierId!: string | null;

  @Column({ name: 'supplier_lot_id', type: 'varchar', length: 64, nullable: true })
  supplierLotId!: string | null;

  @Column({ name: 'purchase_order_id', type: 'varchar', length: 64, nullable: true })
  purchaseOrderId!: string | null;

  /** The production order that declared it (produced lots). */
  @Column({ name: 'order_id', type: 'varchar', length: 64, nullable: true })
  orderId!: string | null;

  /** The first inspection lot opened for it, if any. */
  @Column({ name: 'inspection_lot_id', type: 'varchar', length: 64, nullable: true })
  inspectionLotId!: string | null;

  /** When Threadline first heard of it. */
  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;
}
