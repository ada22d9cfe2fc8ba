import type { PlantFlowSettings } from '../config/orchestrator-config';
import { command, defineFlow } from '../engine/flow-definition';
import { dataOf } from './flow-data';

export interface MaintenanceContext {
  assetId: string;
  trigger: 'downtime' | 'alarm';
  /** The downtime reason or the alarm code. */
  cause: string;
  thresholdSeconds: number;
  openWorkOrderId?: string;
  workOrderId?: string;
  settings: PlantFlowSettings['maintenance'];
}

/**
 * Downtime to maintenance (issue #7 2c): an unplanned downtime that lasts longer than the plant's
 * threshold, or a critical alarm, asks the CMMS for a work order, unless the asset already has
 * an open one. A downtime Threadline caused (the answer to its own `mes.line.stop`) starts none.
 */
export const equipmentMaintenanceFlow = defineFlow<MaintenanceContext, PlantFlowSettings>({
  type: 'equipment-maintenance',
  triggers: [
    {
      event: 'equipment.downtime.started',
      start: (event, plant) => {
        const downtime = dataOf(event, 'equipment.downtime.started');
        const settings = plant.maintenance;
        if (settings.plannedReasons.includes(downtime.reasonCode)) return undefined;
        // A downtime that answers a command (a line stopped for an NC) belongs to the flow that
        // stopped the line, which has asked for maintenance itself.
        if (event.causationid !== undefined) return undefined;
        return {
          subject: `${downtime.assetId}@${downtime.startedAt}`,
          context: {
            assetId: downtime.assetId,
            trigger: 'downtime',
            cause: downtime.reasonCode,
            thresholdSeconds: settings.downtimeMinutes * 60,
            settings,
          },
        };
      },
    },
    {
      event: 'equipment.alarm.raised',
      start: (event, plant) => {
        const alarm = dataOf(event, 'equipment.alarm.raised');
        if (alarm.severity !== 'critical') return undefined;
        return {
          subject: `${alarm.assetId}@${alarm.alarmCode}@${alarm.raisedAt}`,
          context: {
            assetId: alarm.assetId,
            trigger: 'alarm',
            cause: alarm.alarmCode,
            thresholdSeconds: 0,
            settings: plant.maintenance,
          },
        };
      },
    },
  ],
  steps: [
    {
      // Wait the threshold out; the downtime ending first ends the flow with nothing to do.
      name: 'threshold',
      when: (flow) => flow.trigger === 'downtime',
      await: {
        event: 'equipment.downtime.ended',
        subject: (flow) => flow.assetId,
        verdict: (flow) => ({
          accept: true,
          endFlow: `downtime ended within ${flow.thresholdSeconds} s: no work order`,
        }),
      },
      deadline: { seconds: (flow) => flow.thresholdSeconds, then: 'continue' },
    },
    {
      name: 'work-order',
      when: async (flow, facts) => {
        flow.openWorkOrderId = await facts.openWorkOrderFor(flow.assetId);
        return flow.openWorkOrderId === undefined;
      },
      send: (flow) => [
        command('cmms.workorder.create', flow.assetId, {
          assetId: flow.assetId,
          priority: flow.trigger === 'alarm' ? 'emergency' : 'high',
          kind: 'corrective',
          description:
            flow.trigger === 'alarm'
              ? `critical alarm ${flow.cause} on ${flow.assetId}`
              : `unplanned downtime (${flow.cause}) on ${flow.assetId} longer than ` +
                `${flow.thresholdSeconds / 60} min`,
        }),
      ],
      answered: (_, [created]) => ({
        workOrderId: dataOf(created, 'maintenance.workorder.created').workOrderId,
      }),
      deadline: { seconds: (flow) => flow.settings.timeoutsSeconds.workOrder, then: 'escalate' },
      retries: (flow) => flow.settings.retries,
    },
  ],
});
