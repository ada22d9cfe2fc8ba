import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * How far a connector has read one polled stream of a vendor system. `position` is opaque to
 * the store (a timestamp, an id, a continuation token): only the connector interprets it. It is
 * advanced in the transaction that writes the events read to the outbox, so after a crash a
 * connector resumes exactly where its last committed batch ended.
 */
@Entity({ name: 'connector_cursor' })
export class ConnectorCursor {
  @PrimaryColumn({
    name: 'connector',
    type: 'varchar',
    length: 100,
    primaryKeyConstraintName: 'pk_connector_cursor',
  })
  connector!: string;

  @PrimaryColumn({
    name: 'stream',
    type: 'varchar',
    length: 100,
    primaryKeyConstraintName: 'pk_connector_cursor',
  })
  stream!: string;

  @Column({ name: 'position', type: 'text' })
  position!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
