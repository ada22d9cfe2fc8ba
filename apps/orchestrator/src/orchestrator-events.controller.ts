import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type ThreadlineContext } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { eventTypesOf, FlowEngine } from './engine/flow-engine';
import { FLOWS } from './flows';

/** The events the flows start on, wait for, or take note of. */
export const ORCHESTRATOR_EVENT_TYPES = eventTypesOf(FLOWS);

/**
 * Every event a flow cares about into the engine, in the event's transaction: the flow's new
 * state, its timeline and the commands it sends commit with the inbox row, or not at all.
 */
@Controller()
export class OrchestratorEventsController {
  constructor(@Inject(FlowEngine) private readonly engine: FlowEngine) {}

  @EventPattern(ORCHESTRATOR_EVENT_TYPES)
  async onEvent(
    @Payload() event: CloudEventEnvelope,
    @Ctx() context: ThreadlineContext,
  ): Promise<void> {
    await this.engine.onEvent(event, context.manager, (command) => context.publish(command));
  }
}
