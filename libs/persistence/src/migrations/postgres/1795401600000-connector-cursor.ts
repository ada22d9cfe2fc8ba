import type { MigrationInterface, QueryRunner } from 'typeorm';

/** connector_cursor on PostgreSQL: where each connector's polled streams were last read. */
export class ConnectorCursorPostgres1795401600000 implements MigrationInterface {
  name = 'ConnectorCursorPostgres1795401600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "connector_cursor" (
        "connector" character varying(100) NOT NULL,
        "stream" character varying(100) NOT NULL,
        "position" text NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_connector_cursor" PRIMARY KEY ("connector", "stream"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "connector_cursor"`);
  }
}
