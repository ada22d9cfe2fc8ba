import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An API key for a machine client (issue #8). The key itself is shown once, when it is made;
 * only the SHA-256 of its high-entropy secret part is kept (libs/security compares it in
 * constant time). A revoked key stays, with `revoked_at`, so the record of who had access stays.
 */
@Entity({ name: 'api_key' })
@Index('ix_api_key_created', ['createdAt'])
export class ApiKey {
  /** The key's public id, also its prefix: `tlk_{id}_{secret}`. */
  @PrimaryColumn({
    name: 'id',
    type: 'varchar',
    length: 32,
    primaryKeyConstraintName: 'pk_api_key',
  })
  id!: string;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name!: string;

  /** One of the roles of libs/security (viewer, operator, quality-approver ...). */
  @Column({ name: 'role', type: 'varchar', length: 32 })
  role!: string;

  /** Hex SHA-256 of the secret part; never the secret. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Who made it (the CLI's operating-system user, or the embedded all-in-one). */
  @Column({ name: 'created_by', type: 'varchar', length: 200, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
