import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The genealogy index on SQLite: lots, links, what each order consumed and declared, shipment
 * lines, the per-lot timeline, holds, detected gaps and containment done per NC (ADR 0008).
 */
export class TraceabilitySqlite1795488000000 implements MigrationInterface {
  name = 'TraceabilitySqlite1795488000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "hold_propagation" ("ncr_id" varchar(64) PRIMARY KEY NOT NULL, "hold_id" varchar(64) NOT NULL, "plant" varchar(32) NOT NULL, "source_lot_ids" text NOT NULL, "held_lot_ids" text NOT NULL, "recall_candidates" text NOT NULL, "command_id" varchar(128), "created_at" datetime NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "lot" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "lot_id" varchar(64) NOT NULL, "plant" varchar(32), "material_id" varchar(64), "origin" varchar(16) NOT NULL, "origin_at" datetime, "status" varchar(24), "status_changed_at" datetime, "quantity_value" double precision, "quantity_uom" varchar(16), "supplier_id" varchar(64), "supplier_lot_id" varchar(64), "purchase_order_id" varchar(64), "order_id" varchar(64), "inspection_lot_id" varchar(64), "first_seen_at" datetime NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_lot_material" ON "lot" ("material_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_lot_lot_id" ON "lot" ("lot_id")`);
    await queryRunner.query(
      `CREATE TABLE "lot_event" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "lot_seq" integer, "order_id" varchar(64), "ref_id" varchar(64), "event_id" varchar(128) NOT NULL, "type" varchar(128) NOT NULL, "time" datetime NOT NULL, "data" text NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_lot_event_order_time" ON "lot_event" ("order_id", "time")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_lot_event_ref" ON "lot_event" ("ref_id")`);
    await queryRunner.query(
      `CREATE INDEX "ix_lot_event_lot_time" ON "lot_event" ("lot_seq", "time")`,
    );
    await queryRunner.query(
      `CREATE TABLE "lot_hold" ("hold_id" varchar(64) NOT NULL, "lot_seq" integer NOT NULL, "ncr_id" varchar(64), "reason" varchar(1000), "placed_at" datetime, "placed_by" text, "released_at" datetime, "released_by" text, "approval_reason" varchar(1000), PRIMARY KEY ("hold_id", "lot_seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_lot_hold_ncr" ON "lot_hold" ("ncr_id")`);
    await queryRunner.query(`CREATE INDEX "ix_lot_hold_lot" ON "lot_hold" ("lot_seq")`);
    await queryRunner.query(
      `CREATE TABLE "lot_link" ("from_seq" integer NOT NULL, "to_seq" integer NOT NULL, "order_id" varchar(64) NOT NULL, "quantity_value" double precision, "quantity_uom" varchar(16), PRIMARY KEY ("from_seq", "to_seq", "order_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_lot_link_to" ON "lot_link" ("to_seq", "from_seq")`);
    await queryRunner.query(
      `CREATE TABLE "order_lot" ("order_id" varchar(64) NOT NULL, "role" varchar(8) NOT NULL, "lot_seq" integer NOT NULL, "quantity_value" double precision, "quantity_uom" varchar(16), "at" datetime NOT NULL, PRIMARY KEY ("order_id", "role", "lot_seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_order_lot_lot" ON "order_lot" ("lot_seq")`);
    await queryRunner.query(
      `CREATE TABLE "production_order" ("order_id" varchar(64) PRIMARY KEY NOT NULL, "plant" varchar(32) NOT NULL, "first_seen_at" datetime NOT NULL, "completed_at" datetime)`,
    );
    await queryRunner.query(
      `CREATE TABLE "shipment_line" ("shipment_id" varchar(64) NOT NULL, "line_no" integer NOT NULL, "lot_seq" integer NOT NULL, "customer_id" varchar(64) NOT NULL, "sales_order_id" varchar(64) NOT NULL, "quantity_value" double precision NOT NULL, "quantity_uom" varchar(16) NOT NULL, "shipped_at" datetime NOT NULL, "carrier" varchar(64), PRIMARY KEY ("shipment_id", "line_no"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_shipment_line_lot" ON "shipment_line" ("lot_seq")`);
    await queryRunner.query(
      `CREATE TABLE "trace_gap" ("gap_id" varchar(64) PRIMARY KEY NOT NULL, "rule" varchar(64) NOT NULL, "subject" varchar(140) NOT NULL, "severity" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "plant" varchar(32) NOT NULL, "lot_ids" text NOT NULL, "order_id" varchar(64), "description" varchar(1000) NOT NULL, "detected_at" datetime NOT NULL, "resolved_at" datetime)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_trace_gap_rule_subject" ON "trace_gap" ("rule", "subject")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_trace_gap_status_detected" ON "trace_gap" ("status", "detected_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "trace_gap"`);
    await queryRunner.query(`DROP TABLE "shipment_line"`);
    await queryRunner.query(`DROP TABLE "production_order"`);
    await queryRunner.query(`DROP TABLE "order_lot"`);
    await queryRunner.query(`DROP TABLE "lot_link"`);
    await queryRunner.query(`DROP TABLE "lot_hold"`);
    await queryRunner.query(`DROP TABLE "lot_event"`);
    await queryRunner.query(`DROP TABLE "lot"`);
    await queryRunner.query(`DROP TABLE "hold_propagation"`);
  }
}
