import { Controller, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PermanentError, TransientError } from '@threadline/core';
import type { ThreadlineContext } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { holdPlaced } from '../event-builders';

/** What the conformance handler does with a message, keyed by its idempotencykey. */
export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'fail-transiently'; times: number }
  | { kind: 'fail-permanently' }
  | { kind: 'publish' }
  | { kind: 'publish-then-fail' }
  | { kind: 'slow'; ms: number };

export const script = new Map<string, Behaviour>();

export const EFFECTS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS conformance_effect (
  consumer VARCHAR(200) NOT NULL, idempotency_key VARCHAR(256) NOT NULL, attempt INTEGER NOT NULL)`;

async function recordEffect(context: ThreadlineContext, consumer: string): Promise<void> {
  const postgres = context.manager.connection.options.type === 'postgres';
  await context.manager.query(
    `INSERT INTO conformance_effect (consumer, idempotency_key, attempt) VALUES (${postgres ? '$1, $2, $3' : '?, ?, ?'})`,
    [consumer, context.event.idempotencykey, context.attempt],
  );
}

@Controller()
export class ConformanceController {
  @EventPattern('quality.nonconformance.raised')
  async onNonconformance(@Payload() event: CloudEventEnvelope, @Ctx() context: ThreadlineContext) {
    await recordEffect(context, 'subject');
    const behaviour = script.get(event.idempotencykey) ?? { kind: 'ok' };
    switch (behaviour.kind) {
      case 'ok':
        return;
      case 'fail-transiently':
        if (context.attempt <= behaviour.times)
          throw new TransientError(`flaky on attempt ${context.attempt}`);
        return;
      case 'fail-permanently':
        throw new PermanentError('this message can never succeed');
      case 'publish':
        await context.publish(holdPlaced(event));
        return;
      case 'publish-then-fail':
        await context.publish(holdPlaced(event));
        throw new PermanentError('failed after publishing');
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, behaviour.ms));
        return;
    }
  }
}

@Controller()
export class CommandController {
  @EventPattern('cmms.workorder.create')
  async onWorkOrder(@Payload() _command: CloudEventEnvelope, @Ctx() context: ThreadlineContext) {
    await recordEffect(context, 'command');
    throw new PermanentError('CMMS rejected the work order: asset unknown');
  }
}

@Controller()
export class ListenerController {
  @EventPattern('integration.command.failed')
  async onCommandFailed(@Payload() _event: CloudEventEnvelope, @Ctx() context: ThreadlineContext) {
    await recordEffect(context, 'failures');
  }

  @EventPattern('inventory.hold.*')
  async onHold(@Payload() _event: CloudEventEnvelope, @Ctx() context: ThreadlineContext) {
    await recordEffect(context, 'listener');
  }
}

@Module({ controllers: [ConformanceController, CommandController] })
export class ConformanceModule {}

@Module({ controllers: [ListenerController] })
export class ListenerModule {}
