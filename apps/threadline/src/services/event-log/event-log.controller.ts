import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ThreadlineContext } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { appendToEventLog } from './event-log.repository';

/** Records every accepted event, for replay and for following a correlationid end to end. */
@Controller()
export class EventLogController {
  @EventPattern('#')
  async record(
    @Payload() event: CloudEventEnvelope,
    @Ctx() context: ThreadlineContext,
  ): Promise<void> {
    await appendToEventLog(context.manager, event);
  }
}
