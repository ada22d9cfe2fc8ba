import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A gap in the genealogy, detected once (`gapId` is derived from the rule and its subject). */
@Entity({ name: 'trace_gap' })
@Index('ix_trace_gap_status_detected', ['status', 'detectedAt'])
@Index('uq_trace_gap_rule_subject', ['rule', 'subject'], { unique: true })
export class TraceGap {
  @PrimaryColumn({
    name: 'gap_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_trace_gap',
  })
  gapId!: string;

  @Column({ name: 'rule', type: 'varchar', length: 64 })
  rule!: string;

  /** What the rule found it on: the order, the lot, or `{shipmentId}/{lotId}`. */
  @Column({ name: 'subject', type: 'varchar', length: 140 })
  subject!: string;

  @Column({ name: 'severity', type: 'varchar', length: 16 })
  severity!: 'low' | 'medium' | 'high';

  /** `open`, or `resolved` once the condition no longer holds (a late event arrived). */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: 'open' | 'resolved';

  @Column({ name: 'plant', type: 'varchar', length: 32 })
  plant!: string;

  @Column({ name: 'lot_ids', type: 'jsonb' })
  lotIds!: string[];

  @Column({ name: 'order_id', type: 'varchar', length: 64, nullable: true })
  orderId!: string | null;

  @Column({ name: 'description', type: 'varchar', length: 1000 })
  description!: string;

  @Column({ name: 'detected_at', type: 'timestamptz' })
  detectedAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
