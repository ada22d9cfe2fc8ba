import type { Actor, CanonicalDataMap, NonconformanceSeverity } from '@threadline/contracts';
import type { PlantFlowSettings } from '../config/orchestrator-config';
import { command, defineFlow } from '../engine/flow-definition';
import { ORCHESTRATOR, SEVERITY_RANK, auditActor } from './flow-actors';
import { dataOf as data } from './flow-data';

type Disposition = CanonicalDataMap['quality.nonconformance.dispositioned']['disposition'];

/** Dispositions that let the material go: the hold is released and the line resumed. */
const RELEASING: ReadonlySet<Disposition> = new Set(['release', 'use-as-is']);

export interface ContainmentContext {
  ncrId: string;
  severity: NonconformanceSeverity;
  lotIds: string[];
  defectCode: string;
  assetId?: string;
  lineId?: string;
  /** Who asked for the hold: the NC's reporter, else the orchestrator. */
  requestedBy: Actor;
  holdId?: string;
  holdPlacedBy?: Actor;
  /** Every hold placed for this NC: the flow's own and those traceability adds. */
  holdIds: string[];
  workOrderId?: string;
  lineStopped?: boolean;
  disposition?: Disposition;
  approvedBy?: Actor;
  dispositionReason?: string;
  /** The quality.nonconformance.dispositioned event that decided (the releases' cause). */
  dispositionEventId?: string;
  settings: PlantFlowSettings['containment'];
}

/**
 * Nonconformance containment, the headline flow (issue #7 2a): an NC at or above the plant's
 * severity holds its lots (traceability holds their descendants), asks for a work order on the
 * asset (emergency when critical), stops the asset's line when critical, waits for the work
 * order and the disposition, and on a releasing disposition releases every hold of the NC and
 * resumes the line. Scrap, rework or return keep the holds; the outcome is recorded.
 */
export const ncrContainmentFlow = defineFlow<ContainmentContext, PlantFlowSettings>({
  type: 'ncr-containment',
  triggers: [
    {
      event: 'quality.nonconformance.raised',
      start: (event, plant) => {
        const nc = data(event, 'quality.nonconformance.raised');
        const settings = plant.containment;
        if (SEVERITY_RANK[nc.severity] < SEVERITY_RANK[settings.minSeverity]) return undefined;
        const lineId = nc.assetId !== undefined ? plant.assetLines[nc.assetId] : undefined;
        return {
          subject: nc.ncrId,
          context: {
            ncrId: nc.ncrId,
            severity: nc.severity,
            lotIds: [...nc.lotIds],
            defectCode: nc.defectCode,
            ...(nc.assetId !== undefined ? { assetId: nc.assetId } : {}),
            ...(lineId !== undefined ? { lineId } : {}),
            requestedBy: nc.detectedBy ?? ORCHESTRATOR,
            holdIds: [],
            settings,
          },
        };
      },
    },
  ],
  collect: [
    {
      name: 'ncr-holds',
      event: 'inventory.hold.placed',
      key: (event) => data(event, 'inventory.hold.placed').ncrId,
      subject: (flow) => flow.ncrId,
      into: (flow, event) => ({
        holdIds: [...new Set([...flow.holdIds, data(event, 'inventory.hold.placed').holdId])],
      }),
    },
  ],
  steps: [
    {
      name: 'hold',
      send: (flow) => [
        command('erp.inventory.hold.place', flow.ncrId, {
          lotIds: flow.lotIds,
          reason: `${flow.severity} nonconformance ${flow.ncrId}: ${flow.defectCode}`,
          ncrId: flow.ncrId,
          requestedBy: flow.requestedBy,
        }),
      ],
      answered: (flow, [placed]) => {
        const hold = data(placed, 'inventory.hold.placed');
        return {
          holdId: hold.holdId,
          ...(hold.placedBy ? { holdPlacedBy: hold.placedBy } : {}),
          holdIds: [...new Set([...flow.holdIds, hold.holdId])],
        };
      },
      deadline: { seconds: (flow) => flow.settings.timeoutsSeconds.hold, then: 'escalate' },
      retries: (flow) => flow.settings.retries,
      audit: {
        sent: (flow, request) => ({
          actor: auditActor(flow.requestedBy),
          action: 'hold.requested',
          subject: flow.ncrId,
          reason: (request.data as { reason: string }).reason,
          detail: { command: request.type, lotIds: flow.lotIds },
        }),
        answered: (flow, placed) => {
          const hold = data(placed, 'inventory.hold.placed');
          return {
            actor: auditActor(hold.placedBy ?? flow.requestedBy),
            action: 'hold.placed',
            subject: hold.holdId,
            reason: hold.reason ?? null,
            detail: { ncrId: flow.ncrId, lotIds: hold.lotIds },
          };
        },
      },
    },
    {
      name: 'work-order',
      when: (flow) => flow.assetId !== undefined,
      send: (flow) => [
        command('cmms.workorder.create', flow.assetId!, {
          assetId: flow.assetId!,
          priority: flow.severity === 'critical' ? 'emergency' : 'high',
          kind: flow.severity === 'critical' ? 'emergency' : 'corrective',
          description: `${flow.severity} nonconformance ${flow.ncrId}: ${flow.defectCode}`,
          ncrId: flow.ncrId,
        }),
      ],
      answered: (_, [created]) => ({
        workOrderId: data(created, 'maintenance.workorder.created').workOrderId,
      }),
      deadline: { seconds: (flow) => flow.settings.timeoutsSeconds.workOrder, then: 'escalate' },
      retries: (flow) => flow.settings.retries,
    },
    {
      name: 'line-stop',
      when: (flow) => flow.severity === 'critical' && flow.lineId !== undefined,
      send: (flow) => [
        command('mes.line.stop', flow.lineId!, {
          lineId: flow.lineId!,
          reason: `critical nonconformance ${flow.ncrId}`,
          ncrId: flow.ncrId,
        }),
      ],
      answered: () => ({ lineStopped: true }),
      deadline: { seconds: (flow) => flow.settings.timeoutsSeconds.lineStop, then: 'escalate' },
      retries: (flow) => flow.settings.retries,
    },
    {
      name: 'maintenance',
      when: (flow) => flow.workOrderId !== undefined,
      await: { event: 'maintenance.workorder.completed', subject: (flow) => flow.workOrderId },
    },
    {
      name: 'disposition',
      await: {
        event: 'quality.nonconformance.dispositioned',
        subject: (flow) => flow.ncrId,
        verdict: (flow, event) => {
          const decision = data(event, 'quality.nonconformance.dispositioned');
          if (RELEASING.has(decision.disposition)) {
            // Segregation of duties: whoever asked for or placed the hold cannot release it.
            const involved = [flow.requestedBy, flow.holdPlacedBy].filter(
              (actor): actor is Actor => actor !== undefined && actor.kind === 'user',
            );
            const conflict = involved.find((actor) => actor.id === decision.approvedBy.id);
            if (conflict) {
              return {
                accept: false,
                reason:
                  `segregation of duties: ${decision.approvedBy.id} requested or placed the hold ` +
                  `of ${flow.ncrId} and cannot approve its release`,
              };
            }
          }
          return {
            accept: true,
            context: {
              disposition: decision.disposition,
              approvedBy: decision.approvedBy,
              dispositionReason: decision.reason,
              dispositionEventId: event.id,
            },
          };
        },
      },
      audit: {
        accepted: (flow) => ({
          actor: auditActor(flow.approvedBy!),
          action: 'disposition.recorded',
          subject: flow.ncrId,
          reason: flow.dispositionReason ?? null,
          detail: { disposition: flow.disposition, holdIds: flow.holdIds },
        }),
        refused: (flow, event, reason) => {
          const decision = data(event, 'quality.nonconformance.dispositioned');
          return {
            actor: auditActor(decision.approvedBy),
            action: 'disposition.refused',
            subject: flow.ncrId,
            reason,
            detail: { disposition: decision.disposition, rule: 'segregation-of-duties' },
          };
        },
      },
    },
    {
      name: 'release',
      when: (flow) => flow.disposition !== undefined && RELEASING.has(flow.disposition),
      send: (flow) =>
        flow.holdIds.map((holdId) =>
          command('erp.inventory.hold.release', holdId, {
            holdId,
            approvedBy: flow.approvedBy!,
            reason: `${flow.disposition} of ${flow.ncrId}: ${flow.dispositionReason ?? ''}`.trim(),
          }),
        ),
      deadline: { seconds: (flow) => flow.settings.timeoutsSeconds.release, then: 'escalate' },
      retries: (flow) => flow.settings.retries,
      audit: {
        // Who approved and why, caused by the disposition (release sent to the ERP).
        sent: (flow, request) => ({
          actor: auditActor(flow.approvedBy!),
          action: 'hold.released',
          subject: request.subject,
          reason: flow.dispositionReason ?? null,
          ...(flow.dispositionEventId ? { causeEventId: flow.dispositionEventId } : {}),
          detail: { command: request.type, ncrId: flow.ncrId, disposition: flow.disposition },
        }),
      },
    },
    {
      name: 'line-resume',
      when: (flow) =>
        flow.lineStopped === true &&
        flow.disposition !== undefined &&
        RELEASING.has(flow.disposition),
      send: (flow) => [
        command('mes.line.resume', flow.lineId!, {
          lineId: flow.lineId!,
          reason: `${flow.ncrId} dispositioned ${flow.disposition}`,
        }),
      ],
      deadline: { seconds: (flow) => flow.settings.timeoutsSeconds.lineStop, then: 'escalate' },
      retries: (flow) => flow.settings.retries,
    },
  ],
});
