import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { dialectOf, type ThreadlineContext } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { EVENT_LOG_INSERT, eventLogValues } from './event-log.repository';

/** Records every accepted event, for replay and for following a correlationid end to end. */
@Controller()
export class EventLogController {
  @EventPattern('#')
  record(@Payload() event: CloudEventEnvelope, @Ctx() context: ThreadlineContext): void {
    context.bufferInsert(
      EVENT_LOG_INSERT,
      eventLogValues(event, context.body, dialectOf(context.manager)),
    );
  }
}
