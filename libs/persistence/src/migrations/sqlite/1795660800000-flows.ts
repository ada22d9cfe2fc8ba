import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The orchestrator's durable flows (ADR 0009): instances, their timelines, timers, what each
 * waits for, and the work orders open per asset.
 */
export class FlowsSqlite1795660800000 implements MigrationInterface {
  name = 'FlowsSqlite1795660800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "flow_instance" ("id" varchar(36) PRIMARY KEY NOT NULL, "type" varchar(64) NOT NULL, "subject" varchar(160) NOT NULL, "plant" varchar(32) NOT NULL, "correlation_id" varchar(128) NOT NULL, "state" varchar(16) NOT NULL, "cursor" integer NOT NULL, "current_step" varchar(64), "context" text NOT NULL, "started_at" datetime NOT NULL, "updated_at" datetime NOT NULL, "version" integer NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_flow_instance_correlation" ON "flow_instance" ("correlation_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_flow_instance_state_updated" ON "flow_instance" ("state", "updated_at")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_flow_instance_type_subject" ON "flow_instance" ("type", "subject")`,
    );
    await queryRunner.query(
      `CREATE TABLE "flow_step" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "flow_id" varchar(36) NOT NULL, "seq" integer NOT NULL, "name" varchar(64) NOT NULL, "state" varchar(16) NOT NULL, "at" datetime NOT NULL, "detail" text)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_flow_step_flow_seq" ON "flow_step" ("flow_id", "seq")`,
    );
    await queryRunner.query(
      `CREATE TABLE "flow_timer" ("id" varchar(120) PRIMARY KEY NOT NULL, "flow_id" varchar(36) NOT NULL, "step" varchar(64) NOT NULL, "attempt" integer NOT NULL, "due_at" datetime NOT NULL, "fired_at" datetime)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_flow_timer_due" ON "flow_timer" ("due_at") WHERE "fired_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "flow_wait" ("match_key" varchar(240) NOT NULL, "flow_id" varchar(36) NOT NULL, "step" varchar(64) NOT NULL, PRIMARY KEY ("match_key", "flow_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_flow_wait_flow" ON "flow_wait" ("flow_id")`);
    await queryRunner.query(
      `CREATE TABLE "open_work_order" ("work_order_id" varchar(64) PRIMARY KEY NOT NULL, "asset_id" varchar(64) NOT NULL, "plant" varchar(32) NOT NULL, "created_at" datetime NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_open_work_order_asset" ON "open_work_order" ("asset_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "open_work_order"`);
    await queryRunner.query(`DROP TABLE "flow_wait"`);
    await queryRunner.query(`DROP TABLE "flow_timer"`);
    await queryRunner.query(`DROP TABLE "flow_step"`);
    await queryRunner.query(`DROP TABLE "flow_instance"`);
  }
}
