import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The timeline: every event touching a lot (`lotSeq`), a production order (`orderId`, for
 * operations whose parameters belong to the order's lots) or a record that names lots once and
 * is followed by events naming only it (`refId`: the NCR whose disposition comes later). `data` is the event's payload, so a
 * report shows operators, equipment, parameters and measurements exactly as received.
 */
@Entity({ name: 'lot_event' })
@Index('ix_lot_event_lot_time', ['lotSeq', 'time'])
@Index('ix_lot_event_order_time', ['orderId', 'time'])
@Index('ix_lot_event_ref', ['refId'])
export class LotEvent {
  @PrimaryGeneratedColumn({ name: 'id', type: 'integer', primaryKeyConstraintName: 'pk_lot_event' })
  id!: number;

  @Column({ name: 'lot_seq', type: 'integer', nullable: true })
  lotSeq!: number | null;

  @Column({ name: 'order_id', type: 'varchar', length: 64, nullable: true })
  orderId!: string | null;

  /** The NCR (or other record) this event belongs to, when later events name only that. */
  @Column({ name: 'ref_id', type: 'varchar', length: 64, nullable: true })
  refId!: string | null;

  /** The CloudEvent `id`. */
  @Column({ name: 'event_id', type: 'varchar', length: 128 })
  eventId!: string;

  @Column({ name: 'type', type: 'varchar', length: 128 })
  type!: string;

  /** When it happened at the source. */
  @Column({ name: 'time', type: 'timestamptz' })
  time!: Date;

  @Column({ name: 'data', type: 'jsonb' })
  data!: Record<string, unknown>;
}
