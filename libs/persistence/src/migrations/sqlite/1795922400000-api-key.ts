import type { MigrationInterface, QueryRunner } from 'typeorm';

/** api_key on SQLite: machine clients' API keys, hashed (libs/security). */
export class ApiKeySqlite1795922400000 implements MigrationInterface {
  name = 'ApiKeySqlite1795922400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_key" ("id" varchar(32) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "role" varchar(32) NOT NULL, "secret_hash" varchar(64) NOT NULL, "created_at" datetime NOT NULL, "created_by" varchar(200), "revoked_at" datetime)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_api_key_created" ON "api_key" ("created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "api_key"`);
  }
}
