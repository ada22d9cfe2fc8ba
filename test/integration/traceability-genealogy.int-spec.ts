import { lotEvents as e } from '@threadline/testing';
import type { TraceResult } from '@threadline/traceability';
import { TraceabilityHarness, type TraceabilityStack } from '../support/traceability-harness';

/** Nodes as `lotId@depth` and edges as `from>to/order`, sorted: exact sets, readable diffs. */
function shape(trace: TraceResult | undefined) {
  return {
    nodes: trace!.nodes.map((node) => `${node.lotId}@${node.depth}`).sort(),
    edges: trace!.edges.map((edge) => `${edge.from}>${edge.to}/${edge.orderId}`).sort(),
  };
}

describe.each<TraceabilityStack>(['rabbitmq+postgres', 'in-memory+sqlite'])(
  'genealogy on %s',
  (stack) => {
    let h: TraceabilityHarness;
    beforeAll(async () => {
      h = await TraceabilityHarness.start(stack);
    });
    afterAll(() => h?.close());

    it('a diamond: one raw lot in two WIP lots merged into one finished lot', async () => {
      await h.apply(
        e.received('D-RAW', 'RESIN', 0),
        e.consumed('D-O1', 'D-RAW', 40, 10),
        e.declared('D-O1', 'D-WIP-A', 'WIP', 40, 11),
        e.consumed('D-O2', 'D-RAW', 60, 12),
        e.declared('D-O2', 'D-WIP-B', 'WIP', 60, 13),
        e.consumed('D-O3', 'D-WIP-A', 40, 20),
        e.consumed('D-O3', 'D-WIP-B', 60, 20),
        e.declared('D-O3', 'D-FG', 'FG', 100, 21),
      );
      expect(shape(await h.queries.trace('D-FG', 'backward'))).toEqual({
        nodes: ['D-FG@0', 'D-RAW@2', 'D-WIP-A@1', 'D-WIP-B@1'],
        edges: [
          'D-RAW>D-WIP-A/D-O1',
          'D-RAW>D-WIP-B/D-O2',
          'D-WIP-A>D-FG/D-O3',
          'D-WIP-B>D-FG/D-O3',
        ],
      });
      expect(shape(await h.queries.trace('D-RAW', 'forward'))).toEqual({
        nodes: ['D-FG@2', 'D-RAW@0', 'D-WIP-A@1', 'D-WIP-B@1'],
        edges: [
          'D-RAW>D-WIP-A/D-O1',
          'D-RAW>D-WIP-B/D-O2',
          'D-WIP-A>D-FG/D-O3',
          'D-WIP-B>D-FG/D-O3',
        ],
      });
      const edge = (await h.queries.trace('D-FG', 'backward'))!.edges.find(
        (x) => x.from === 'D-WIP-B',
      );
      expect(edge?.quantity).toEqual({ value: 60, uom: 'kg' });
      expect(shape(await h.queries.trace('D-FG', 'backward', 1)).nodes).toEqual([
        'D-FG@0',
        'D-WIP-A@1',
        'D-WIP-B@1',
      ]);
    });

    it('a batch co-mingled from three supplier lots', async () => {
      await h.apply(
        ...['C-S1', 'C-S2', 'C-S3'].map((lot, i) => e.received(lot, 'PIGMENT', i)),
        ...['C-S1', 'C-S2', 'C-S3'].map((lot) => e.consumed('C-MIX', lot, 10, 30)),
        e.declared('C-MIX', 'C-BATCH', 'COMPOUND', 30, 31),
      );
      expect(shape(await h.queries.trace('C-BATCH', 'backward'))).toEqual({
        nodes: ['C-BATCH@0', 'C-S1@1', 'C-S2@1', 'C-S3@1'],
        edges: ['C-S1>C-BATCH/C-MIX', 'C-S2>C-BATCH/C-MIX', 'C-S3>C-BATCH/C-MIX'],
      });
      expect((await h.queries.recallScope('C-S2'))!.affectedLots).toEqual(['C-BATCH', 'C-S2']);
    });

    it('a rework loop and a cycle in bad data end with exact sets', async () => {
      await h.apply(
        e.received('R-RAW', 'STEEL', 0),
        e.consumed('R-O1', 'R-RAW', 5, 10),
        e.declared('R-O1', 'R-FG', 'SHAFT', 5, 11),
        // Rework: the finished lot goes back through an order that declares the same lot.
        e.consumed('R-RW', 'R-FG', 5, 20),
        e.declared('R-RW', 'R-FG', 'SHAFT', 5, 21),
        // Bad data: two lots each made from the other.
        e.consumed('R-BAD1', 'R-X', 1, 30),
        e.declared('R-BAD1', 'R-Y', 'SHAFT', 1, 30),
        e.consumed('R-BAD2', 'R-Y', 1, 31),
        e.declared('R-BAD2', 'R-X', 'SHAFT', 1, 31),
      );
      expect(shape(await h.queries.trace('R-FG', 'backward'))).toEqual({
        nodes: ['R-FG@0', 'R-RAW@1'],
        edges: ['R-FG>R-FG/R-RW', 'R-RAW>R-FG/R-O1'],
      });
      expect(shape(await h.queries.trace('R-X', 'forward'))).toEqual({
        nodes: ['R-X@0', 'R-Y@1'],
        edges: ['R-X>R-Y/R-BAD1', 'R-Y>R-X/R-BAD2'],
      });
    });

    it('a lot split across shipments to three customers: recall scope', async () => {
      await h.apply(
        e.received('S-RAW', 'RESIN', 0),
        e.consumed('S-O1', 'S-RAW', 50, 10),
        e.declared('S-O1', 'S-FG', 'HOUSING', 300, 11),
        e.declared('S-O1', 'S-FG2', 'HOUSING', 100, 11),
        e.shipped('SHP-S1', 'CUST-A', [['S-FG', 100]], 60),
        e.shipped('SHP-S2', 'CUST-B', [['S-FG', 120]], 61),
        e.shipped('SHP-S3', 'CUST-C', [['S-FG', 80]], 62),
      );
      const scope = await h.queries.recallScope('S-RAW');
      expect(scope).toEqual({
        lotId: 'S-RAW',
        affectedLots: ['S-FG', 'S-FG2', 'S-RAW'],
        onHand: ['S-FG2', 'S-RAW'],
        shipments: [
          expect.objectContaining({
            shipmentId: 'SHP-S1',
            customerId: 'CUST-A',
            lotId: 'S-FG',
            quantity: { value: 100, uom: 'kg' },
          }),
          expect.objectContaining({
            shipmentId: 'SHP-S2',
            customerId: 'CUST-B',
            lotId: 'S-FG',
            quantity: { value: 120, uom: 'kg' },
          }),
          expect.objectContaining({
            shipmentId: 'SHP-S3',
            customerId: 'CUST-C',
            lotId: 'S-FG',
            quantity: { value: 80, uom: 'kg' },
          }),
        ],
        customers: ['CUST-A', 'CUST-B', 'CUST-C'],
      });
      expect(scope!.shipments[0].shippedAt).toBe('2026-05-14T07:00:00.000Z');
    });

    it('out-of-order arrival gives the same graph as in-order arrival', async () => {
      // Output first, then its consumption, then the consumed lot's receipt.
      await h.apply(
        e.declared('O-O1', 'O-FG', 'FG', 10, 21),
        e.consumed('O-O1', 'O-RAW', 10, 20),
        e.received('O-RAW', 'RESIN', 0),
      );
      expect(shape(await h.queries.trace('O-FG', 'backward'))).toEqual({
        nodes: ['O-FG@0', 'O-RAW@1'],
        edges: ['O-RAW>O-FG/O-O1'],
      });
      const raw = await h.queries.lot('O-RAW');
      expect(raw).toMatchObject({ origin: 'received', materialId: 'RESIN', supplierId: 'SUP-1' });
    });

    it('duplicate deliveries have one effect', async () => {
      const consumed = e.consumed('U-O1', 'U-RAW', 7, 10);
      await h.apply(
        e.received('U-RAW', 'RESIN', 0),
        consumed,
        e.declared('U-O1', 'U-FG', 'FG', 7, 11),
      );
      // The same facts again (a redelivery, a re-poll): new message ids, same idempotency keys.
      await h.apply(
        { ...consumed, id: `${consumed.id}-again` },
        e.declared('U-O1', 'U-FG', 'FG', 7, 11),
      );
      const trace = await h.queries.trace('U-FG', 'backward');
      expect(trace!.edges).toEqual([
        { from: 'U-RAW', to: 'U-FG', orderId: 'U-O1', quantity: { value: 7, uom: 'kg' } },
      ]);
      const timeline = (await h.queries.lot('U-RAW'))!.timeline.map((entry) => entry.type);
      expect(timeline).toEqual(['material.lot.received', 'production.material.consumed']);
    });

    it("keeps a timeline with the order's parameters, holds and the NC's disposition", async () => {
      await h.apply(
        e.received('T-RAW', 'RESIN', 0),
        e.consumed('T-O1', 'T-RAW', 5, 10),
        e.operationCompleted('T-O1', 12, { torqueNm: 11.8, spindleRpm: 1200 }),
        e.declared('T-O1', 'T-FG', 'FG', 5, 13),
        e.ncRaised('NCR-T1', ['T-FG'], 20),
        e.holdPlaced('HOLD-T1', ['T-FG'], 21, 'NCR-T1'),
        e.ncDispositioned('NCR-T1', 30),
        e.holdReleased('HOLD-T1', ['T-FG'], 31),
        e.statusChanged('T-FG', 'unrestricted', 32),
      );
      const lot = await h.queries.lot('T-FG');
      expect(lot!.timeline.map((entry) => `${entry.via}:${entry.type}`)).toEqual([
        'order:production.operation.completed',
        'lot:production.output.declared',
        'lot:quality.nonconformance.raised',
        'lot:inventory.hold.placed',
        'ncr:quality.nonconformance.dispositioned',
        'lot:inventory.hold.released',
        'lot:inventory.lot.status.changed',
      ]);
      expect(lot!.timeline[0].data).toMatchObject({
        parameters: { torqueNm: 11.8 },
        operator: { name: 'Ana Ruiz' },
      });
      expect(lot!.holds).toEqual([
        expect.objectContaining({
          holdId: 'HOLD-T1',
          ncrId: 'NCR-T1',
          active: false,
          placedBy: { id: 'QE-1', kind: 'user', name: 'Quality Engineer' },
          releasedBy: { id: 'QA-2', kind: 'user', name: 'Quality Approver' },
        }),
      ]);
      expect(lot!.status).toBe('unrestricted');
    });
  },
);
