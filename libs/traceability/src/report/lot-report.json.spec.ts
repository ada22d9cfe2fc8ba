import { lotReportFixture } from './lot-report.fixture';
import { renderLotReportJson } from './lot-report.json';

describe('renderLotReportJson', () => {
  const json = renderLotReportJson(lotReportFixture);

  it('identifies itself and keeps the lot header apart from holds and timeline', () => {
    expect(json.format).toBe('threadline.lot-report');
    expect(json.version).toBe(1);
    expect(json.generatedAt).toBe('2026-05-20T12:00:00Z');
    expect(json.lot).toEqual({
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
    });
    expect(json.holds).toBe(lotReportFixture.lot.holds);
  });

  it('carries both genealogy directions as the query gave them', () => {
    expect(json.genealogy.backward.edges).toHaveLength(2);
    expect(json.genealogy.forward.nodes.map((node) => [node.lotId, node.depth])).toEqual([
      ['LOT-G1', 0],
      ['LOT-H1', 1],
    ]);
  });

  it('gives every timeline entry its facts and its payload as evidence', () => {
    expect(json.timeline.map((entry) => entry.eventId)).toEqual(
      lotReportFixture.lot.timeline.map((entry) => entry.eventId),
    );
    const inspection = json.timeline.find((entry) => entry.eventId === 'e-105')!;
    expect(inspection.actor).toEqual({
      role: 'inspector',
      id: 'u-22',
      kind: 'user',
      name: 'Omar Haddad',
    });
    expect(inspection.inspection!.measurements.map((m) => [m.characteristic, m.status])).toEqual([
      ['meltFlowIndex', 'in-spec'],
      ['moisture', 'above-usl'],
    ]);
    expect(inspection.data).toBe(lotReportFixture.lot.timeline[4].data);
  });

  it('lists dispositions and counts the recall scope', () => {
    expect(json.dispositions).toEqual([
      expect.objectContaining({ ncrId: 'NCR-77', disposition: 'rework' }),
    ]);
    expect(json.recall).toMatchObject({
      lotId: 'LOT-G1',
      affectedLotCount: 2,
      onHandCount: 1,
      shipmentCount: 1,
      customerCount: 1,
    });
  });

  it('survives a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
