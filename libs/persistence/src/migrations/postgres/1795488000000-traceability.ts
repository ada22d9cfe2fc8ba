import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The genealogy index on PostgreSQL: lots, links, what each order consumed and declared, shipment
 * lines, the per-lot timeline, holds, detected gaps and containment done per NC (ADR 0008).
 */
export class TraceabilityPostgres1795488000000 implements MigrationInterface {
  name = 'TraceabilityPostgres1795488000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "hold_propagation" ("ncr_id" character varying(64) NOT NULL, "hold_id" character varying(64) NOT NULL, "plant" character varying(32) NOT NULL, "source_lot_ids" jsonb NOT NULL, "held_lot_ids" jsonb NOT NULL, "recall_candidates" jsonb NOT NULL, "command_id" character varying(128), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_hold_propagation" PRIMARY KEY ("ncr_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "lot" ("seq" SERIAL NOT NULL, "lot_id" character varying(64) NOT NULL, "plant" character varying(32), "material_id" character varying(64), "origin" character varying(16) NOT NULL, "origin_at" TIMESTAMP WITH TIME ZONE, "status" character varying(24), "status_changed_at" TIMESTAMP WITH TIME ZONE, "quantity_value" double precision, "quantity_uom" character varying(16), "supplier_id" character varying(64), "supplier_lot_id" character varying(64), "purchase_order_id" character varying(64), "order_id" character varying(64), "inspection_lot_id" character varying(64), "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_lot" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_lot_material" ON "lot" ("material_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_lot_lot_id" ON "lot" ("lot_id")`);
    await queryRunner.query(
      `CREATE TABLE "lot_event" ("id" SERIAL NOT NULL, "lot_seq" integer, "order_id" character varying(64), "ref_id" character varying(64), "event_id" character varying(128) NOT NULL, "type" character varying(128) NOT NULL, "time" TIMESTAMP WITH TIME ZONE NOT NULL, "data" jsonb NOT NULL, CONSTRAINT "pk_lot_event" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_lot_event_order_time" ON "lot_event" ("order_id", "time")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_lot_event_ref" ON "lot_event" ("ref_id")`);
    await queryRunner.query(
      `CREATE INDEX "ix_lot_event_lot_time" ON "lot_event" ("lot_seq", "time")`,
    );
    await queryRunner.query(
      `CREATE TABLE "lot_hold" ("hold_id" character varying(64) NOT NULL, "lot_seq" integer NOT NULL, "ncr_id" character varying(64), "reason" character varying(1000), "placed_at" TIMESTAMP WITH TIME ZONE, "placed_by" jsonb, "released_at" TIMESTAMP WITH TIME ZONE, "released_by" jsonb, "approval_reason" character varying(1000), CONSTRAINT "pk_lot_hold" PRIMARY KEY ("hold_id", "lot_seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_lot_hold_ncr" ON "lot_hold" ("ncr_id")`);
    await queryRunner.query(`CREATE INDEX "ix_lot_hold_lot" ON "lot_hold" ("lot_seq")`);
    await queryRunner.query(
      `CREATE TABLE "lot_link" ("from_seq" integer NOT NULL, "to_seq" integer NOT NULL, "order_id" character varying(64) NOT NULL, "quantity_value" double precision, "quantity_uom" character varying(16), CONSTRAINT "pk_lot_link" PRIMARY KEY ("from_seq", "to_seq", "order_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_lot_link_to" ON "lot_link" ("to_seq", "from_seq")`);
    await queryRunner.query(
      `CREATE TABLE "order_lot" ("order_id" character varying(64) NOT NULL, "role" character varying(8) NOT NULL, "lot_seq" integer NOT NULL, "quantity_value" double precision, "quantity_uom" character varying(16), "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_order_lot" PRIMARY KEY ("order_id", "role", "lot_seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_order_lot_lot" ON "order_lot" ("lot_seq")`);
    await queryRunner.query(
      `CREATE TABLE "production_order" ("order_id" character varying(64) NOT NULL, "plant" character varying(32) NOT NULL, "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_production_order" PRIMARY KEY ("order_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "shipment_line" ("shipment_id" character varying(64) NOT NULL, "line_no" integer NOT NULL, "lot_seq" integer NOT NULL, "customer_id" character varying(64) NOT NULL, "sales_order_id" character varying(64) NOT NULL, "quantity_value" double precision NOT NULL, "quantity_uom" character varying(16) NOT NULL, "shipped_at" TIMESTAMP WITH TIME ZONE NOT NULL, "carrier" character varying(64), CONSTRAINT "pk_shipment_line" PRIMARY KEY ("shipment_id", "line_no"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_shipment_line_lot" ON "shipment_line" ("lot_seq")`);
    await queryRunner.query(
      `CREATE TABLE "trace_gap" ("gap_id" character varying(64) NOT NULL, "rule" character varying(64) NOT NULL, "subject" character varying(140) NOT NULL, "severity" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "plant" character varying(32) NOT NULL, "lot_ids" jsonb NOT NULL, "order_id" character varying(64), "description" character varying(1000) NOT NULL, "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_trace_gap" PRIMARY KEY ("gap_id"))`,
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
