import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A hold on one lot, from `inventory.hold.placed` until `inventory.hold.released`. */
@Entity({ name: 'lot_hold' })
@Index('ix_lot_hold_lot', ['lotSeq'])
@Index('ix_lot_hold_ncr', ['ncrId'])
export class LotHold {
  @PrimaryColumn({
    name: 'hold_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_lot_hold',
  })
  holdId!: string;

  @PrimaryColumn({ name: 'lot_seq', type: 'integer', primaryKeyConstraintName: 'pk_lot_hold' })
  lotSeq!: number;

  @Column({ name: 'ncr_id', type: 'varchar', length: 64, nullable: true })
  ncrId!: string | null;

  @Column({ name: 'reason', type: 'varchar', length: 1000, nullable: true })
  reason!: string | null;

  @Column({ name: 'placed_at', type: 'timestamptz', nullable: true })
  placedAt!: Date | null;

  @Column({ name: 'placed_by', type: 'jsonb', nullable: true })
  placedBy!: Record<string, unknown> | null;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;

  @Column({ name: 'released_by', type: 'jsonb', nullable: true })
  releasedBy!: Record<string, unknown> | null;

  @Column({ name: 'approval_reason', type: 'varchar', length: 1000, nullable: true })
  approvalReason!: string | null;
}
