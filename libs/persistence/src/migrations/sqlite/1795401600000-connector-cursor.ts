import type { MigrationInterface, QueryRunner } from 'typeorm';

/** connector_cursor on SQLite: where each connector's polled streams were last read. */
export class ConnectorCursorSqlite1795401600000 implements MigrationInterface {
  name = 'ConnectorCursorSqlite1795401600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "connector_cursor" (
        "connector" varchar(100) NOT NULL,
        "stream" varchar(100) NOT NULL,
        "position" text NOT NULL,
        "updated_at" datetime NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY ("connector", "stream"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "connector_cursor"`);
  }
}
