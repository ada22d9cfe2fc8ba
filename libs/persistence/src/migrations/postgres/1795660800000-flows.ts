import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The orchestrator's durable flows (ADR 0009): instances, their timelines, timers, what each
 * waits for, and the work orders open per asset.
 */
export class FlowsPostgres1795660800000 implements MigrationInterface {
  name = 'FlowsPostgres1795660800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "flow_instance" ("id" character varying(36) NOT NULL, "type" character varying(64) NOT NULL, "subject" character varying(160) NOT NULL, "plant" character varying(32) NOT NULL, "correlation_id" character varying(128) NOT NULL, "state" character varying(16) NOT NULL, "cursor" integer NOT NULL, "current_step" character varying(64), "context" jsonb NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, CONSTRAINT "pk_flow_instance" PRIMARY KEY ("id"))`,
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
      `CREATE TABLE "flow_step" ("id" SERIAL NOT NULL, "flow_id" character varying(36) NOT NULL, "seq" integer NOT NULL, "name" character varying(64) NOT NULL, "state" character varying(16) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "detail" jsonb, CONSTRAINT "pk_flow_step" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_flow_step_flow_seq" ON "flow_step" ("flow_id", "seq")`,
    );
    await queryRunner.query(
      `CREATE TABLE "flow_timer" ("id" character varying(120) NOT NULL, "flow_id" character varying(36) NOT NULL, "step" character varying(64) NOT NULL, "attempt" integer NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "fired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_flow_timer" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_flow_timer_due" ON "flow_timer" ("due_at") WHERE "fired_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "flow_wait" ("match_key" character varying(240) NOT NULL, "flow_id" character varying(36) NOT NULL, "step" character varying(64) NOT NULL, CONSTRAINT "pk_flow_wait" PRIMARY KEY ("match_key", "flow_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_flow_wait_flow" ON "flow_wait" ("flow_id")`);
    await queryRunner.query(
      `CREATE TABLE "open_work_order" ("work_order_id" character varying(64) NOT NULL, "asset_id" character varying(64) NOT NULL, "plant" character varying(32) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_open_work_order" PRIMARY KEY ("work_order_id"))`,
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
