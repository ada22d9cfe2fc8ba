import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Containment done for one nonconformance: the descendants put on hold (one command per NC) and
 * the shipped descendants reported as recall candidates.
 */
@Entity({ name: 'hold_propagation' })
export class HoldPropagation {
  @PrimaryColumn({
    name: 'ncr_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_hold_propagation',
  })
  ncrId!: string;

  @Column({ name: 'hold_id', type: 'varchar', length: 64 })
  holdId!: string;

  @Column({ name: 'plant', type: 'varchar', length: 32 })
  plant!: string;

  @Column({ name: 'source_lot_ids', type: 'jsonb' })
  sourceLotIds!: string[];

  /** Unshipped descendants the hold command asked for (empty: nothing to hold). */
  @Column({ name: 'held_lot_ids', type: 'jsonb' })
  heldLotIds!: string[];

  /** Shipped descendants: `{shipmentId, customerId, lotId, quantity, shippedAt}`. */
  @Column({ name: 'recall_candidates', type: 'jsonb' })
  recallCandidates!: Record<string, unknown>[];

  /** The `erp.inventory.hold.place` command's id, when one was sent. */
  @Column({ name: 'command_id', type: 'varchar', length: 128, nullable: true })
  commandId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
