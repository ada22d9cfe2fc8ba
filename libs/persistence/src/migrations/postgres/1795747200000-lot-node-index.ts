import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A covering index for the genealogy walk's node lookups (ADR 0008), PostgreSQL only: a trace
 * reads each lot it reaches by `seq` for its id, material and status. Through `pk_lot` that is
 * an index page and a heap page per lot, and the heap rows are wide (about 150 bytes), so a
 * trace's lots spread over many pages that are often not in memory. `ix_lot_node` holds just
 * those columns (about 60 bytes a lot, 63 MB against 147 MB of heap and 21 MB of `pk_lot` at
 * 1,000,000 lots): the lookups become index-only scans over a third of the pages.
 * SQLite needs none: `seq` is its rowid, so a lookup by `seq` is already one B-tree descent to
 * the row, and SQLite has no INCLUDE.
 */
export class LotNodeIndexPostgres1795747200000 implements MigrationInterface {
  name = 'LotNodeIndexPostgres1795747200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_lot_node" ON "lot" ("seq") INCLUDE ("lot_id", "material_id", "status")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_lot_node"`);
  }
}
