import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * audit_entry on SQLite: the hash-chained audit log (ADR 0012). Triggers refuse UPDATE and
 * DELETE; the hash chain detects changes made by anyone who drops them.
 */
export class AuditEntrySqlite1795836000000 implements MigrationInterface {
  name = 'AuditEntrySqlite1795836000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_entry" ("seq" integer PRIMARY KEY NOT NULL, "at" datetime NOT NULL, "actor_id" varchar(200) NOT NULL, "actor_kind" varchar(16) NOT NULL, "action" varchar(64) NOT NULL, "subject" varchar(200), "reason" text, "cause_event_id" varchar(128), "detail" text, "prev_hash" varchar(64) NOT NULL, "hash" varchar(64) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_entry_subject_seq" ON "audit_entry" ("subject", "seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_entry_actor_seq" ON "audit_entry" ("actor_id", "seq")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_entry_at" ON "audit_entry" ("at")`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_audit_entry_no_update" BEFORE UPDATE ON "audit_entry"
      BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: UPDATE refused'); END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_audit_entry_no_delete" BEFORE DELETE ON "audit_entry"
      BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: DELETE refused'); END`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_entry"`);
  }
}
