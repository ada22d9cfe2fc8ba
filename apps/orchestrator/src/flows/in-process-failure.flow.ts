import type { NonconformanceSeverity } from '@threadline/contracts';
import type { PlantFlowSettings } from '../config/orchestrator-config';
import { command, defineFlow } from '../engine/flow-definition';
import { dataOf } from './flow-data';

export interface InProcessFailureContext {
  inspectionLotId: string;
  lotId: string;
  assetId?: string;
  orderId?: string;
  failed: string[];
  inspectedAt: string;
  severity: NonconformanceSeverity;
  timeoutSeconds: number;
  ncrId?: string;
}

/**
 * In-process failure (issue #7 2d): a failed inspection taken during production (the result
 * names its order or asset; receipt inspections name neither) opens an NC in the QMS, which
 * raises quality.nonconformance.raised and so starts the containment.
 */
export const inProcessFailureFlow = defineFlow<InProcessFailureContext, PlantFlowSettings>({
  type: 'in-process-failure',
  triggers: [
    {
      event: 'quality.inspection.result.recorded',
      start: (event, plant) => {
        const recorded = dataOf(event, 'quality.inspection.result.recorded');
        if (recorded.result !== 'fail') return undefined;
        if (recorded.orderId === undefined && recorded.assetId === undefined) return undefined;
        const failed = recorded.measurements
          .filter(
            (m) =>
              (m.lsl !== undefined && m.value < m.lsl) || (m.usl !== undefined && m.value > m.usl),
          )
          .map((m) => `${m.characteristic} ${m.value} ${m.unit}`);
        return {
          subject: recorded.inspectionLotId,
          context: {
            inspectionLotId: recorded.inspectionLotId,
            lotId: recorded.lotId,
            ...(recorded.assetId !== undefined ? { assetId: recorded.assetId } : {}),
            ...(recorded.orderId !== undefined ? { orderId: recorded.orderId } : {}),
            failed,
            inspectedAt: recorded.inspectedAt,
            severity: plant.inProcessFailure.severity,
            timeoutSeconds: plant.inProcessFailure.timeoutSeconds,
          },
        };
      },
    },
  ],
  steps: [
    {
      name: 'nonconformance',
      send: (flow) => [
        command('qms.nonconformance.create', flow.assetId ?? flow.lotId, {
          severity: flow.severity,
          lotIds: [flow.lotId],
          defectCode: 'IN-PROCESS-INSPECTION-FAILED',
          description:
            `In-process inspection ${flow.inspectionLotId} of lot ${flow.lotId} failed` +
            (flow.failed.length > 0 ? `: ${flow.failed.join(', ')}` : ''),
          detectedAt: flow.inspectedAt,
          ...(flow.assetId !== undefined ? { assetId: flow.assetId } : {}),
        }),
      ],
      answered: (_, [raised]) => ({
        ncrId: dataOf(raised, 'quality.nonconformance.raised').ncrId,
      }),
      deadline: { seconds: (flow) => flow.timeoutSeconds, then: 'escalate' },
      retries: () => 1,
    },
  ],
});
