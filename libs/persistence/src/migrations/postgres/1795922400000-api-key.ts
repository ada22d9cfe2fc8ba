import type { MigrationInterface, QueryRunner } from 'typeorm';

/** api_key on PostgreSQL: machine clients' API keys, hashed (libs/security). */
export class ApiKeyPostgres1795922400000 implements MigrationInterface {
  name = 'ApiKeyPostgres1795922400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_key" (
        "id" character varying(32) NOT NULL,
        "name" character varying(100) NOT NULL,
        "role" character varying(32) NOT NULL,
        "secret_hash" character varying(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_by" character varying(200),
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_api_key" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_api_key_created" ON "api_key" ("created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "api_key"`);
  }
}
