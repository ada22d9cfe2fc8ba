import type { MigrationInterface, QueryRunner } from 'typeorm';

/** outbox, inbox, event_log and dlq_action on PostgreSQL. */
export class InitialMessagingPostgres1795315200000 implements MigrationInterface {
  name = 'InitialMessagingPostgres1795315200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outbox" (
        "id" BIGSERIAL NOT NULL,
        "message_id" character varying(128) NOT NULL,
        "exchange" character varying(128) NOT NULL,
        "routing_key" character varying(256) NOT NULL,
        "subject" character varying(128) NOT NULL,
        "body" text NOT NULL,
        "headers" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "sent_at" TIMESTAMP WITH TIME ZONE,
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        CONSTRAINT "pk_outbox" PRIMARY KEY ("id"))`,
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
        "consumer" character varying(200) NOT NULL,
        "idempotency_key" character varying(256) NOT NULL,
        "message_id" character varying(128) NOT NULL,
        "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_inbox" PRIMARY KEY ("consumer", "idempotency_key"))`,
    );

    await queryRunner.query(
      `CREATE TABLE "event_log" (
        "id" character varying(128) NOT NULL,
        "type" character varying(128) NOT NULL,
        "subject" character varying(128) NOT NULL,
        "correlation_id" character varying(128) NOT NULL,
        "causation_id" character varying(128),
        "time" TIMESTAMP WITH TIME ZONE NOT NULL,
        "plant" character varying(32) NOT NULL,
        "source" character varying(256) NOT NULL,
        "idempotency_key" character varying(256) NOT NULL,
        "body" jsonb NOT NULL,
        "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_event_log" PRIMARY KEY ("id"))`,
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
        "id" uuid NOT NULL,
        "queue" character varying(256) NOT NULL,
        "action" character varying(32) NOT NULL,
        "message_ids" text NOT NULL,
        "count" integer NOT NULL,
        "actor" character varying(200) NOT NULL,
        "reason" text,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_dlq_action" PRIMARY KEY ("id"))`,
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
