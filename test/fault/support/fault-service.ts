import { createHash } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TransientError } from '@threadline/core';
import type { ThreadlineContext } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';

/** One row per applied effect; a key applied twice shows as two rows (no unique constraint). */
export const FAULT_EFFECTS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS fault_effect (
  idempotency_key VARCHAR(256) NOT NULL, attempt INTEGER NOT NULL)`;

/** What the fault handler does besides recording its effect; set by the test that needs it. */
export const faultBehaviour = { transientShare: 0, transientAttempts: 0 };

/** Deterministic per key, so the same messages fail on every attempt and in every run. */
export function failsTransiently(idempotencyKey: string, share: number): boolean {
  const bucket = createHash('sha1').update(idempotencyKey).digest().readUInt16BE(0) % 100;
  return bucket < share * 100;
}

@Controller()
export class FaultController {
  @EventPattern('quality.nonconformance.raised')
  async onNonconformance(@Payload() event: CloudEventEnvelope, @Ctx() context: ThreadlineContext) {
    const { transientShare, transientAttempts } = faultBehaviour;
    if (
      context.attempt <= transientAttempts &&
      failsTransiently(event.idempotencykey, transientShare)
    ) {
      throw new TransientError(`injected transient failure on attempt ${context.attempt}`);
    }
    await context.manager.query(
      'INSERT INTO fault_effect (idempotency_key, attempt) VALUES ($1, $2)',
      [event.idempotencykey, context.attempt],
    );
  }
}

@Module({ controllers: [FaultController] })
export class FaultModule {}
