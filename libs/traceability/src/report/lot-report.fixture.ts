import type { LotReport, RecallScope, TimelineEntry } from '../model';

/**
 * Hand-made reports for the renderer and EPCIS tests, shaped as the genealogy queries answer them.
 * Resin LOT-R1 and pigment LOT-P9 go into granulate LOT-G1 (order WO-100), which goes into
 * housings LOT-H1 (order WO-200); 250 housings were shipped to CUST-9.
 */

const operator = { id: 'u-17', kind: 'user', name: 'Jane Doe' } as const;
const inspector = { id: 'u-22', kind: 'user', name: 'Omar Haddad' } as const;
const approver = { id: 'u-5', kind: 'user', name: 'Anna Berg' } as const;

function entry(
  eventId: string,
  type: string,
  time: string,
  via: TimelineEntry['via'],
  data: Record<string, unknown>,
): TimelineEntry {
  return { eventId, type, time, via, data };
}

const recall: RecallScope = {
  lotId: 'LOT-G1',
  affectedLots: ['LOT-G1', 'LOT-H1'],
  onHand: ['LOT-G1'],
  shipments: [
    {
      shipmentId: 'SHP-900',
      customerId: 'CUST-9',
      salesOrderId: 'SO-555',
      lotId: 'LOT-H1',
      quantity: { value: 250, uom: 'pcs' },
      shippedAt: '2026-05-18T06:00:00Z',
      carrier: 'DHL',
    },
  ],
  customers: ['CUST-9'],
};

/** LOT-G1, produced by WO-100 and consumed by WO-200: genealogy both ways. */
export const lotReportFixture: LotReport = {
  generatedAt: '2026-05-20T12:00:00Z',
  lot: {
    lotId: 'LOT-G1',
    plant: 'PLANT-01',
    materialId: 'GRN-1',
    origin: 'produced',
    originAt: '2026-05-14T06:15:00Z',
    status: 'unrestricted',
    statusChangedAt: '2026-05-15T05:00:00Z',
    quantity: { value: 118, uom: 'kg' },
    supplierId: null,
    supplierLotId: null,
    purchaseOrderId: null,
    orderId: 'WO-100',
    holds: [
      {
        holdId: 'HOLD-5',
        ncrId: 'NCR-77',
        reason: 'Moisture out of spec',
        placedAt: '2026-05-14T07:12:00Z',
        placedBy: { id: 'qms', kind: 'system' },
        releasedAt: '2026-05-15T05:00:00Z',
        releasedBy: approver,
        approvalReason: 'Retest passed after re-drying',
        active: false,
      },
    ],
    timeline: [
      entry('e-101', 'production.operation.completed', '2026-05-14T06:10:00Z', 'order', {
        orderId: 'WO-100',
        operationId: '0010',
        workCenterId: 'WC-EXT',
        completedAt: '2026-05-14T08:10:00+02:00',
        operator,
        assetId: 'EXT-02',
        parameters: { barrelTempC: 235, screwRpm: 180, program: 'GR-STD' },
      }),
      entry('e-102', 'production.output.declared', '2026-05-14T06:15:00Z', 'lot', {
        orderId: 'WO-100',
        outputLotId: 'LOT-G1',
        materialId: 'GRN-1',
        quantity: { value: 118, uom: 'kg' },
        declaredAt: '2026-05-14T08:15:00+02:00',
      }),
      entry('e-103', 'production.order.completed', '2026-05-14T06:20:00Z', 'order', {
        orderId: 'WO-100',
        completedAt: '2026-05-14T08:20:00+02:00',
        yield: { value: 118, uom: 'kg' },
        scrap: { value: 4.5, uom: 'kg' },
      }),
      entry('e-104', 'quality.inspection.lot.created', '2026-05-14T06:30:00Z', 'lot', {
        inspectionLotId: 'IL-300',
        lotId: 'LOT-G1',
        origin: 'in-process',
        createdAt: '2026-05-14T08:30:00+02:00',
      }),
      entry('e-105', 'quality.inspection.result.recorded', '2026-05-14T07:05:00Z', 'lot', {
        inspectionLotId: 'IL-300',
        lotId: 'LOT-G1',
        result: 'fail',
        measurements: [
          {
            characteristic: 'meltFlowIndex',
            value: 12.4,
            unit: 'g/10min',
            lsl: 10,
            usl: 14,
            target: 12,
          },
          { characteristic: 'moisture', value: 0.31, unit: '%', usl: 0.2 },
        ],
        inspectedAt: '2026-05-14T09:05:00+02:00',
        inspector,
        assetId: 'LAB-MFI-1',
        orderId: 'WO-100',
      }),
      entry('e-106', 'quality.nonconformance.raised', '2026-05-14T07:10:00Z', 'lot', {
        ncrId: 'NCR-77',
        severity: 'major',
        lotIds: ['LOT-G1'],
        defectCode: 'MOIST-HI',
        description: 'Moisture above 0.2 %',
        detectedAt: '2026-05-14T09:10:00+02:00',
        detectedBy: inspector,
      }),
      entry('e-107', 'inventory.hold.placed', '2026-05-14T07:12:00Z', 'lot', {
        holdId: 'HOLD-5',
        lotIds: ['LOT-G1'],
        reason: 'Moisture out of spec',
        placedAt: '2026-05-14T09:12:00+02:00',
        ncrId: 'NCR-77',
        placedBy: { id: 'qms', kind: 'system' },
      }),
      entry('e-108', 'quality.nonconformance.dispositioned', '2026-05-14T09:00:00Z', 'ncr', {
        ncrId: 'NCR-77',
        disposition: 'rework',
        approvedBy: approver,
        reason: 'Re-dry 4 h at 80 C, then retest',
        dispositionedAt: '2026-05-14T11:00:00+02:00',
      }),
      entry('e-109', 'inventory.hold.released', '2026-05-15T05:00:00Z', 'lot', {
        holdId: 'HOLD-5',
        lotIds: ['LOT-G1'],
        releasedAt: '2026-05-15T07:00:00+02:00',
        releasedBy: approver,
        approvalReason: 'Retest passed after re-drying',
      }),
      entry('e-110', 'production.material.consumed', '2026-05-15T08:00:00Z', 'lot', {
        orderId: 'WO-200',
        lotId: 'LOT-G1',
        quantity: { value: 100, uom: 'kg' },
        workCenterId: 'WC-MOLD',
        consumedAt: '2026-05-15T10:00:00+02:00',
      }),
      entry('e-111', 'production.operation.completed', '2026-05-15T12:00:00Z', 'order', {
        orderId: 'WO-200',
        operationId: '0020',
        workCenterId: 'WC-MOLD',
        completedAt: '2026-05-15T14:00:00+02:00',
        operator: { id: 'u-31', kind: 'user', name: 'Li Wei' },
        assetId: 'IMM-07',
        parameters: { cycleTimeS: 32.5, moldTempC: 60 },
      }),
      entry('e-112', 'production.order.completed', '2026-05-15T12:30:00Z', 'order', {
        orderId: 'WO-200',
        completedAt: '2026-05-15T14:30:00+02:00',
        yield: { value: 400, uom: 'pcs' },
      }),
    ],
  },
  backward: {
    root: 'LOT-G1',
    direction: 'backward',
    nodes: [
      { lotId: 'LOT-G1', materialId: 'GRN-1', status: 'unrestricted', depth: 0 },
      { lotId: 'LOT-P9', materialId: 'PIG-2', status: 'unrestricted', depth: 1 },
      { lotId: 'LOT-R1', materialId: 'RES-7', status: 'unrestricted', depth: 1 },
    ],
    edges: [
      { from: 'LOT-R1', to: 'LOT-G1', orderId: 'WO-100', quantity: { value: 120, uom: 'kg' } },
      { from: 'LOT-P9', to: 'LOT-G1', orderId: 'WO-100', quantity: { value: 2.5, uom: 'kg' } },
    ],
  },
  forward: {
    root: 'LOT-G1',
    direction: 'forward',
    nodes: [
      { lotId: 'LOT-G1', materialId: 'GRN-1', status: 'unrestricted', depth: 0 },
      { lotId: 'LOT-H1', materialId: 'HSG-4', status: 'unrestricted', depth: 1 },
    ],
    edges: [
      { from: 'LOT-G1', to: 'LOT-H1', orderId: 'WO-200', quantity: { value: 100, uom: 'kg' } },
    ],
  },
  recall,
  orders: [],
};

/** LOT-R1, the received resin: its receipt and receipt inspection; WO-200 is two links away. */
export const receivedLotReportFixture: LotReport = {
  generatedAt: '2026-05-20T12:00:00Z',
  lot: {
    lotId: 'LOT-R1',
    plant: 'PLANT-01',
    materialId: 'RES-7',
    origin: 'received',
    originAt: '2026-05-12T05:30:00Z',
    status: 'unrestricted',
    statusChangedAt: '2026-05-12T08:00:00Z',
    quantity: { value: 500, uom: 'kg' },
    supplierId: 'SUP-3',
    supplierLotId: 'SL-2026-118',
    purchaseOrderId: 'PO-4711',
    orderId: null,
    holds: [],
    timeline: [
      entry('e-001', 'material.lot.received', '2026-05-12T05:30:00Z', 'lot', {
        lotId: 'LOT-R1',
        materialId: 'RES-7',
        supplierId: 'SUP-3',
        supplierLotId: 'SL-2026-118',
        purchaseOrderId: 'PO-4711',
        quantity: { value: 500, uom: 'kg' },
        receivedAt: '2026-05-12T07:30:00+02:00',
        certificateRefs: ['COA-118'],
      }),
      entry('e-002', 'quality.inspection.result.recorded', '2026-05-12T07:45:00Z', 'lot', {
        inspectionLotId: 'IL-201',
        lotId: 'LOT-R1',
        result: 'pass',
        measurements: [
          { characteristic: 'density', value: 0.952, unit: 'g/cm3', lsl: 0.94, usl: 0.96 },
        ],
        inspectedAt: '2026-05-12T09:45:00+02:00',
        inspector,
      }),
      entry('e-003', 'production.material.consumed', '2026-05-14T04:00:00Z', 'lot', {
        orderId: 'WO-100',
        lotId: 'LOT-R1',
        quantity: { value: 120, uom: 'kg' },
        consumedAt: '2026-05-14T06:00:00+02:00',
      }),
      lotReportFixture.lot.timeline[0],
      lotReportFixture.lot.timeline[2],
    ],
  },
  backward: {
    root: 'LOT-R1',
    direction: 'backward',
    nodes: [{ lotId: 'LOT-R1', materialId: 'RES-7', status: 'unrestricted', depth: 0 }],
    edges: [],
  },
  forward: {
    root: 'LOT-R1',
    direction: 'forward',
    nodes: [
      { lotId: 'LOT-R1', materialId: 'RES-7', status: 'unrestricted', depth: 0 },
      { lotId: 'LOT-G1', materialId: 'GRN-1', status: 'unrestricted', depth: 1 },
      { lotId: 'LOT-H1', materialId: 'HSG-4', status: 'unrestricted', depth: 2 },
    ],
    edges: [
      { from: 'LOT-R1', to: 'LOT-G1', orderId: 'WO-100', quantity: { value: 120, uom: 'kg' } },
      { from: 'LOT-G1', to: 'LOT-H1', orderId: 'WO-200', quantity: { value: 100, uom: 'kg' } },
    ],
  },
  recall: {
    ...recall,
    lotId: 'LOT-R1',
    affectedLots: ['LOT-R1', 'LOT-G1', 'LOT-H1'],
    onHand: ['LOT-R1', 'LOT-G1'],
  },
  orders: [],
};

/** LOT-R1 again, with the genealogy's record of WO-200 (two links away, not on its timeline). */
export const receivedLotWithOrdersFixture: LotReport = {
  ...receivedLotReportFixture,
  orders: [
    {
      orderId: 'WO-200',
      completedAt: null,
      outputs: [
        {
          lotId: 'LOT-H1',
          quantity: { value: 250, uom: 'pcs' },
          declaredAt: '2026-05-15T10:00:00.000Z',
        },
      ],
    },
  ],
};
