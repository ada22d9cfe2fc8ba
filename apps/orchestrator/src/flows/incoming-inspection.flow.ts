import type { Actor, NonconformanceSeverity } from '@threadline/contracts';
import type { PlantFlowSettings } from '../config/orchestrator-config';
import { command, defineFlow } from '../engine/flow-definition';
import { ORCHESTRATOR, auditActor } from './flow-actors';
import { dataOf } from './flow-data';

export interface IncomingInspectionContext {
  lotId: string;
  materialId: string;
  supplierId: string;
  inspectionLotId?: string;
  holdId?: string;
  result?: 'pass' | 'fail';
  inspector?: Actor;
  /** The quality.inspection.result.recorded event (the release's cause). */
  resultEventId?: string;
  ncrId?: string;
  failSeverity: NonconformanceSeverity;
  settings: PlantFlowSettings['incomingInspection'];
}

/**
 * Incoming inspection (issue #7 2b): a received lot of a material that needs inspection is held
 * and gets an inspection lot; a pass releases it, a fail keeps the hold and opens a supplier NC.
 */
export const incomingInspectionFlow = defineFlow<IncomingInspectionContext, PlantFlowSettings>({
  type: 'incoming-inspection',
  triggers: [
    {
      event: 'material.lot.received',
      start: (event, plant) => {
        const received = dataOf(event, 'material.lot.received');
        const settings = plant.incomingInspection;
        if (!settings.materials.includes(received.materialId)) return undefined;
        return {
          subject: received.lotId,
          context: {
            lotId: received.lotId,
            materialId: received.materialId,
            supplierId: received.supplierId,
            failSeverity: settings.failSeverity,
            settings,
          },
        };
      },
    },
  ],
  steps: [
    {
      name: 'hold',
      send: (flow) => [
        command('erp.inventory.hold.place', flow.lotId, {
          lotIds: [flow.lotId],
          reason: `incoming inspection of lot ${flow.lotId} (${flow.materialId})`,
          requestedBy: ORCHESTRATOR,
        }),
      ],
      answered: (_, [placed]) => ({ holdId: dataOf(placed, 'inventory.hold.placed').holdId }),
      deadline: { seconds: (flow) => flow.settings.timeoutsSeconds.hold, then: 'escalate' },
      retries: (flow) => flow.settings.retries,
      audit: {
        sent: (flow, request) => ({
          actor: auditActor(ORCHESTRATOR),
          action: 'hold.requested',
          subject: flow.lotId,
          reason: (request.data as { reason: string }).reason,
          detail: { command: request.type, lotIds: [flow.lotId] },
        }),
      },
    },
    {
      name: 'inspection-lot',
      send: (flow) => [
        command('qms.inspection.lot.create', flow.lotId, { lotId: flow.lotId, origin: 'receipt' }),
      ],
      answered: (_, [created]) => ({
        inspectionLotId: dataOf(created, 'quality.inspection.lot.created').inspectionLotId,
      }),
      deadline: {
        seconds: (flow) => flow.settings.timeoutsSeconds.inspectionLot,
        then: 'escalate',
      },
      retries: (flow) => flow.settings.retries,
    },
    {
      name: 'result',
      await: {
        event: 'quality.inspection.result.recorded',
        subject: (flow) => flow.lotId,
        verdict: (_, event) => {
          const recorded = dataOf(event, 'quality.inspection.result.recorded');
          return {
            accept: true,
            context: {
              result: recorded.result,
              resultEventId: event.id,
              ...(recorded.inspector ? { inspector: recorded.inspector } : {}),
            },
          };
        },
      },
    },
    {
      name: 'release',
      when: (flow) => flow.result === 'pass',
      send: (flow) => [
        command('erp.inventory.hold.release', flow.holdId!, {
          holdId: flow.holdId!,
          approvedBy: flow.inspector ?? ORCHESTRATOR,
          reason: `incoming inspection of lot ${flow.lotId} passed`,
        }),
      ],
      deadline: { seconds: (flow) => flow.settings.timeoutsSeconds.release, then: 'escalate' },
      retries: (flow) => flow.settings.retries,
      audit: {
        sent: (flow, request) => ({
          actor: auditActor(flow.inspector ?? ORCHESTRATOR),
          action: 'hold.released',
          subject: request.subject,
          reason: `incoming inspection of lot ${flow.lotId} passed`,
          ...(flow.resultEventId ? { causeEventId: flow.resultEventId } : {}),
          detail: { command: request.type, lotId: flow.lotId },
        }),
      },
    },
    {
      name: 'supplier-nc',
      when: (flow) => flow.result === 'fail',
      send: (flow) => [
        command('qms.nonconformance.create', flow.lotId, {
          severity: flow.failSeverity,
          lotIds: [flow.lotId],
          defectCode: 'INCOMING-INSPECTION-FAILED',
          description:
            `Lot ${flow.lotId} of ${flow.materialId} from supplier ${flow.supplierId} failed ` +
            `incoming inspection ${flow.inspectionLotId ?? ''}`.trim(),
          detectedAt: new Date().toISOString(),
        }),
      ],
      answered: (_, [raised]) => ({
        ncrId: dataOf(raised, 'quality.nonconformance.raised').ncrId,
      }),
      deadline: { seconds: (flow) => flow.settings.timeoutsSeconds.hold, then: 'escalate' },
      retries: (flow) => flow.settings.retries,
    },
  ],
});
