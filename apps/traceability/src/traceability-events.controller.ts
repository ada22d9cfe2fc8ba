import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { MessagingRuntime, type ThreadlineContext } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { HoldPropagation } from './containment/hold-propagation';
import { GapDetector } from './gaps/gap-detector';
import { recordGap } from './gaps/gap-store';
import { GENEALOGY_EVENT_TYPES, GenealogyRecorder } from './genealogy/genealogy.recorder';
import { GenealogySql } from './genealogy/genealogy-sql';

/**
 * Every lot event into the genealogy, in the event's transaction; then what it triggers there:
 * a shipment of a held lot is a gap, a hold for an NC is propagated to the descendants. Gap
 * events and hold commands go through the outbox of the same transaction.
 */
@Controller()
export class TraceabilityEventsController {
  constructor(
    @Inject(GenealogyRecorder) private readonly recorder: GenealogyRecorder,
    @Inject(GapDetector) private readonly gaps: GapDetector,
    @Inject(HoldPropagation) private readonly propagation: HoldPropagation,
    @Inject(MessagingRuntime) private readonly runtime: MessagingRuntime,
  ) {}

  @EventPattern([...GENEALOGY_EVENT_TYPES])
  async record(
    @Payload() event: CloudEventEnvelope,
    @Ctx() context: ThreadlineContext,
  ): Promise<void> {
    const now = new Date();
    await this.recorder.record(event, context.manager, now);
    const sql = new GenealogySql(context.manager);
    if (event.type === 'shipment.dispatched') {
      for (const gap of await this.gaps.onShipment(sql, event)) {
        const detected = await recordGap(sql, gap, now);
        if (!detected) continue;
        await context.publish(detected);
        this.runtime.metrics?.traceGapsDetected.inc({ rule: gap.rule, severity: gap.severity });
      }
    }
    if (event.type === 'inventory.hold.placed') {
      const containment = await this.propagation.onHoldPlaced(sql, event, now);
      if (!containment) return;
      for (const command of containment.commands) await context.publish(command);
      this.runtime.metrics?.traceHoldsPropagated.inc({
        outcome: containment.commands.length > 0 ? 'held' : 'nothing-to-hold',
      });
      this.runtime.logger.info(
        {
          correlationid: event.correlationid,
          id: event.id,
          ncrId: containment.ncrId,
          held: containment.heldLotIds.length,
          recallCandidates: containment.recallCandidates.length,
        },
        'hold propagated to descendants',
      );
    }
  }
}
