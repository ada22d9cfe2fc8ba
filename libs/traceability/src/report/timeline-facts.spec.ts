import type { TimelineEntry } from '../model';
import { lotReportFixture } from './lot-report.fixture';
import {
  extractDispositions,
  extractTimelineFact,
  extractTimelineFacts,
  specStatus,
  utc,
} from './timeline-facts';

const timeline = lotReportFixture.lot.timeline;
const byId = (eventId: string): TimelineEntry => timeline.find((e) => e.eventId === eventId)!;

describe('extractTimelineFact', () => {
  it('pulls the operator, equipment and process parameters out of an operation', () => {
    const fact = extractTimelineFact(byId('e-101'));
    expect(fact).toEqual({
      eventId: 'e-101',
      type: 'production.operation.completed',
      time: '2026-05-14T06:10:00Z',
      via: 'order',
      lotIds: [],
      orderId: 'WO-100',
      actor: { role: 'operator', id: 'u-17', kind: 'user', name: 'Jane Doe' },
      equipment: { assetId: 'EXT-02', workCenterId: 'WC-EXT' },
      parameters: { barrelTempC: 235, screwRpm: 180, program: 'GR-STD' },
      inspection: null,
      quantity: null,
      detail: 'Operation 0010 of order WO-100 completed at work center WC-EXT',
    });
  });

  it('flags each measurement against its limits and counts the ones out of spec', () => {
    const fact = extractTimelineFact(byId('e-105'));
    expect(fact.actor).toEqual({
      role: 'inspector',
      id: 'u-22',
      kind: 'user',
      name: 'Omar Haddad',
    });
    expect(fact.equipment).toEqual({ assetId: 'LAB-MFI-1', workCenterId: null });
    expect(fact.inspection).toEqual({
      inspectionLotId: 'IL-300',
      result: 'fail',
      outOfSpec: 1,
      measurements: [
        {
          characteristic: 'meltFlowIndex',
          value: 12.4,
          unit: 'g/10min',
          lsl: 10,
          usl: 14,
          target: 12,
          status: 'in-spec',
        },
        {
          characteristic: 'moisture',
          value: 0.31,
          unit: '%',
          lsl: null,
          usl: 0.2,
          target: null,
          status: 'above-usl',
        },
      ],
    });
    expect(fact.detail).toBe(
      'Inspection IL-300: fail; meltFlowIndex 12.4 g/10min [LSL 10, USL 14, target 12] in spec; ' +
        'moisture 0.31 % [USL 0.2] OUT OF SPEC (above USL)',
    );
  });

  it.each([
    ['e-106', 'detected-by', 'u-22'],
    ['e-107', 'placed-by', 'qms'],
    ['e-108', 'approved-by', 'u-5'],
    ['e-109', 'released-by', 'u-5'],
  ])('names the actor of %s by role %s', (eventId, role, id) => {
    expect(extractTimelineFact(byId(eventId)).actor).toMatchObject({ role, id });
  });

  it('names the lots of lot lists and shipment lines and describes the shipment', () => {
    const fact = extractTimelineFact({
      eventId: 'e-900',
      type: 'shipment.dispatched',
      time: '2026-05-18T06:00:00Z',
      via: 'lot',
      data: {
        shipmentId: 'SHP-900',
        customerId: 'CUST-9',
        salesOrderId: 'SO-555',
        lines: [
          { lotId: 'LOT-H1', quantity: { value: 250, uom: 'pcs' } },
          { lotId: 'LOT-H2', quantity: { value: 50, uom: 'pcs' } },
        ],
        shippedAt: '2026-05-18T08:00:00+02:00',
        carrier: 'DHL',
      },
    });
    expect(fact.lotIds).toEqual(['LOT-H1', 'LOT-H2']);
    expect(fact.detail).toBe(
      'Shipment SHP-900 to customer CUST-9 (sales order SO-555): LOT-H1 250 pcs, LOT-H2 50 pcs; carrier DHL',
    );
    expect(extractTimelineFact(byId('e-107')).lotIds).toEqual(['LOT-G1']);
  });

  it('reads malformed or unknown payloads as absent instead of throwing', () => {
    const fact = extractTimelineFact({
      eventId: 'e-bad',
      type: 'vendor.something.happened',
      time: '2026-05-14T06:00:00Z',
      via: 'lot',
      data: {
        lotId: 42,
        operator: { id: 'u-1', kind: 'robot' },
        parameters: { speed: 3, nested: { no: 1 } },
        quantity: { value: 'ten', uom: 'kg' },
      },
    });
    expect(fact).toMatchObject({
      lotIds: [],
      actor: null,
      parameters: { speed: 3 },
      quantity: null,
      detail: 'vendor.something.happened',
    });
  });
});

describe('extractTimelineFacts', () => {
  it('orders entries by time and keeps the given order for equal times', () => {
    const at = (eventId: string, time: string): TimelineEntry => ({
      eventId,
      type: 'inventory.lot.status.changed',
      time,
      via: 'lot',
      data: {},
    });
    const facts = extractTimelineFacts([
      at('c', '2026-05-14T08:00:00Z'),
      at('a', '2026-05-14T07:00:00Z'),
      at('b', '2026-05-14T08:00:00Z'),
    ]);
    expect(facts.map((fact) => fact.eventId)).toEqual(['a', 'c', 'b']);
  });
});

describe('extractDispositions', () => {
  it('gives who approved what, when (in UTC) and why', () => {
    expect(extractDispositions(timeline)).toEqual([
      {
        ncrId: 'NCR-77',
        disposition: 'rework',
        approvedBy: { id: 'u-5', kind: 'user', name: 'Anna Berg' },
        reason: 'Re-dry 4 h at 80 C, then retest',
        dispositionedAt: '2026-05-14T09:00:00Z',
      },
    ]);
  });
});

describe('specStatus', () => {
  it.each([
    [9.9, 10, 14, 'below-lsl'],
    [10, 10, 14, 'in-spec'],
    [14, 10, 14, 'in-spec'],
    [14.01, 10, 14, 'above-usl'],
    [0.5, null, 0.2, 'above-usl'],
    [-1, 0, null, 'below-lsl'],
    [5, null, null, 'no-limits'],
  ] as const)('%d against [%s, %s] is %s', (value, lsl, usl, status) => {
    expect(specStatus(value, lsl, usl)).toBe(status);
  });
});

describe('utc', () => {
  it('normalises an offset time to UTC without milliseconds', () => {
    expect(utc('2026-05-14T11:00:00+02:00')).toBe('2026-05-14T09:00:00Z');
    expect(utc('2026-05-14T11:00:00.250Z')).toBe('2026-05-14T11:00:00.250Z');
    expect(utc('yesterday')).toBeNull();
  });
});
