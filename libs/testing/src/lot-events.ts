import { buildEnvelope, type CanonicalDataMap } from '@threadline/contracts';
import type { CloudEventEnvelope } from '@threadline/schema-registry';

/**
 * Valid lot events for genealogy tests, one builder per fact. Each has a source fact key, so
 * sending a builder's result twice is a duplicate delivery; `at` is the source time.
 */
const PLANT = 'P01';
const T0 = Date.parse('2026-05-14T06:00:00Z');

/** A source time `minutes` after a fixed start, so tests read as a shift's timeline. */
export function at(minutes: number): string {
  return new Date(T0 + minutes * 60_000).toISOString();
}

function event<T extends keyof CanonicalDataMap>(
  type: T,
  system: string,
  subject: string,
  key: string,
  time: string,
  data: CanonicalDataMap[T],
  plant = PLANT,
): CloudEventEnvelope {
  const input = {
    type,
    subject,
    source: { plant, system, connectorId: `${system}-main` },
    fact: { key },
    time,
    data,
  } as Parameters<typeof buildEnvelope>[0];
  return buildEnvelope(input) as unknown as CloudEventEnvelope;
}

const kg = (value: number) => ({ value, uom: 'kg' });

export const lotEvents = {
  received(lotId: string, materialId: string, minutes = 0, quantity = 100, plant = PLANT) {
    return event(
      'material.lot.received',
      'erp',
      lotId,
      `erp:${lotId}:received`,
      at(minutes),
      {
        lotId,
        materialId,
        supplierId: 'SUP-1',
        supplierLotId: `S-${lotId}`,
        purchaseOrderId: 'PO-1',
        quantity: kg(quantity),
        receivedAt: at(minutes),
      },
      plant,
    );
  },
  consumed(orderId: string, lotId: string, quantity: number, minutes = 0, n = 1) {
    return event(
      'production.material.consumed',
      'mes',
      orderId,
      `mes:${orderId}:${lotId}:consumed:${n}`,
      at(minutes),
      {
        orderId,
        lotId,
        quantity: kg(quantity),
        consumedAt: at(minutes),
      },
    );
  },
  declared(
    orderId: string,
    outputLotId: string,
    materialId: string,
    quantity: number,
    minutes = 0,
  ) {
    return event(
      'production.output.declared',
      'mes',
      outputLotId,
      `mes:${orderId}:${outputLotId}:declared`,
      at(minutes),
      {
        orderId,
        outputLotId,
        materialId,
        quantity: kg(quantity),
        declaredAt: at(minutes),
      },
    );
  },
  operationCompleted(
    orderId: string,
    minutes = 0,
    parameters: Record<string, number | string | boolean> = {},
  ) {
    return event(
      'production.operation.completed',
      'mes',
      orderId,
      `mes:${orderId}:op10:completed`,
      at(minutes),
      {
        orderId,
        operationId: '0010',
        workCenterId: 'WC-TORQUE',
        completedAt: at(minutes),
        operator: { id: 'OP-7', kind: 'user', name: 'Ana Ruiz' },
        assetId: 'TORQUE-01',
        parameters,
      },
    );
  },
  orderCompleted(orderId: string, minutes = 0) {
    return event(
      'production.order.completed',
      'mes',
      orderId,
      `mes:${orderId}:completed`,
      at(minutes),
      {
        orderId,
        completedAt: at(minutes),
      },
    );
  },
  inspectionLotCreated(inspectionLotId: string, lotId: string, minutes = 0) {
    return event(
      'quality.inspection.lot.created',
      'qms',
      inspectionLotId,
      `qms:${inspectionLotId}:created`,
      at(minutes),
      {
        inspectionLotId,
        lotId,
        origin: 'receipt',
        createdAt: at(minutes),
      },
    );
  },
  shipped(shipmentId: string, customerId: string, lines: [string, number][], minutes = 0) {
    return event(
      'shipment.dispatched',
      'erp',
      shipmentId,
      `erp:${shipmentId}:dispatched`,
      at(minutes),
      {
        shipmentId,
        customerId,
        salesOrderId: `SO-${shipmentId}`,
        lines: lines.map(([lotId, quantity]) => ({ lotId, quantity: kg(quantity) })),
        shippedAt: at(minutes),
      },
    );
  },
  holdPlaced(holdId: string, lotIds: string[], minutes = 0, ncrId?: string, plant = PLANT) {
    return event(
      'inventory.hold.placed',
      'erp',
      holdId,
      `erp:${holdId}:placed`,
      at(minutes),
      {
        holdId,
        lotIds,
        reason: ncrId ? `NC ${ncrId}` : 'quality check',
        placedAt: at(minutes),
        ...(ncrId ? { ncrId } : {}),
        placedBy: { id: 'QE-1', kind: 'user', name: 'Quality Engineer' },
      },
      plant,
    );
  },
  holdReleased(holdId: string, lotIds: string[], minutes = 0) {
    return event('inventory.hold.released', 'erp', holdId, `erp:${holdId}:released`, at(minutes), {
      holdId,
      lotIds,
      releasedAt: at(minutes),
      releasedBy: { id: 'QA-2', kind: 'user', name: 'Quality Approver' },
      approvalReason: 'measurements within tolerance after re-check',
    });
  },
  statusChanged(
    lotId: string,
    status: 'unrestricted' | 'quality-inspection' | 'blocked' | 'scrapped',
    minutes = 0,
  ) {
    return event(
      'inventory.lot.status.changed',
      'erp',
      lotId,
      `erp:${lotId}:status:${minutes}`,
      at(minutes),
      {
        lotId,
        status,
        changedAt: at(minutes),
      },
    );
  },
  ncRaised(ncrId: string, lotIds: string[], minutes = 0) {
    return event(
      'quality.nonconformance.raised',
      'qms',
      ncrId,
      `qms:${ncrId}:raised`,
      at(minutes),
      {
        ncrId,
        severity: 'major',
        lotIds,
        defectCode: 'TORQUE-LOW',
        description: 'Torque below lower specification limit.',
        detectedAt: at(minutes),
      },
    );
  },
  ncDispositioned(ncrId: string, minutes = 0) {
    return event(
      'quality.nonconformance.dispositioned',
      'qms',
      ncrId,
      `qms:${ncrId}:dispositioned`,
      at(minutes),
      {
        ncrId,
        disposition: 'rework',
        approvedBy: { id: 'QA-2', kind: 'user', name: 'Quality Approver' },
        reason: 'rework on line 2',
        dispositionedAt: at(minutes),
      },
    );
  },
};
