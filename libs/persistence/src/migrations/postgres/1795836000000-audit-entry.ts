import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * audit_entry on PostgreSQL: the hash-chained audit log (ADR 0012). A trigger refuses UPDATE,
 * DELETE and TRUNCATE, so the application (and anyone without the rights to disable triggers)
 * can only append; the hash chain detects what a superuser changes anyway.
 */
export class AuditEntryPostgres1795836000000 implements MigrationInterface {
  name = 'AuditEntryPostgres1795836000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_entry" ("seq" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" character varying(200) NOT NULL, "actor_kind" character varying(16) NOT NULL, "action" character varying(64) NOT NULL, "subject" character varying(200), "reason" text, "cause_event_id" character varying(128), "detail" jsonb, "prev_hash" character varying(64) NOT NULL, "hash" character varying(64) NOT NULL, CONSTRAINT "pk_audit_entry" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_entry_subject_seq" ON "audit_entry" ("subject", "seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_entry_actor_seq" ON "audit_entry" ("actor_id", "seq")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_entry_at" ON "audit_entry" ("at")`);
    await queryRunner.query(
      `CREATE FUNCTION "audit_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_audit_entry_append_only" BEFORE UPDATE OR DELETE ON "audit_entry"
      FOR EACH ROW EXECUTE FUNCTION "audit_entry_append_only"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_audit_entry_no_truncate" BEFORE TRUNCATE ON "audit_entry"
      FOR EACH STATEMENT EXECUTE FUNCTION "audit_entry_append_only"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_entry"`);
    await queryRunner.query(`DROP FUNCTION "audit_entry_append_only"()`);
  }
}
