import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * outbox, inbox, event_log and dlq_action on SQLite. Timestamps are UTC text
 * (`YYYY-MM-DD HH:MM:SS.SSS`), JSON is text, and `outbox.id` is SQLite's 64-bit rowid.
 */
export class InitialMessagingSqlite1795315200000 implements MigrationInterface {
  name = 'InitialMessagingSqlite1795315200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outbox" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "message_id" varchar(128) NOT NULL,
        "exchange" varchar(128) NOT NULL,
        "routing_key" varchar(256) NOT NULL,
        "subject" varchar(128) NOT NULL,
        "body" text NOT NULL,
        "headers" text NOT NULL,
        "created_at" datetime NOT NULL DEFAULT (datetime('now')),
        "sent_at" datetime,
        "attempts" integer NOT NULL DEFAULT (0),
        "last_error" text)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_outbox_message_id" ON "outbox" ("message_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_outbox_subject_id" ON "outbox" ("subject", "id") WHERE "sent_at" IS NULL`,
    );
    // The relay's working set: only unsent rows, in publication order.
    await queryRunner.query(
      `CREATE INDEX "ix_outbox_unsent" ON "outbox" ("id") WHERE "sent_at" IS NULL`,
    );

    await queryRunner.query(
      `CREATE TABLE "inbox" (
        "consumer" varchar(200) NOT NULL,
        "idempotency_key" varchar(256) NOT NULL,
        "message_id" varchar(128) NOT NULL,
        "processed_at" datetime NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY ("consumer", "idempotency_key"))`,
    );

    await queryRunner.query(
      `CREATE TABLE "event_log" (
        "id" varchar(128) PRIMARY KEY NOT NULL,
        "type" varchar(128) NOT NULL,
        "subject" varchar(128) NOT NULL,
        "correlation_id" varchar(128) NOT NULL,
        "causation_id" varchar(128),
        "time" datetime NOT NULL,
        "plant" varchar(32) NOT NULL,
        "source" varchar(256) NOT NULL,
        "idempotency_key" varchar(256) NOT NULL,
        "body" text NOT NULL,
        "recorded_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_event_log_correlation_time" ON "event_log" ("correlation_id", "time")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_event_log_subject_time" ON "event_log" ("subject", "time")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_event_log_type_time" ON "event_log" ("type", "time")`,
    );

    await queryRunner.query(
      `CREATE TABLE "dlq_action" (
        "id" varchar PRIMARY KEY NOT NULL,
        "queue" varchar(256) NOT NULL,
        "action" varchar(32) NOT NULL,
        "message_ids" text NOT NULL,
        "count" integer NOT NULL,
        "actor" varchar(200) NOT NULL,
        "reason" text,
        "at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_dlq_action_queue_at" ON "dlq_action" ("queue", "at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "dlq_action"`);
    await queryRunner.query(`DROP TABLE "event_log"`);
    await queryRunner.query(`DROP TABLE "inbox"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
  }
}
