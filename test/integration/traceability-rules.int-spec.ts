import { at, lotEvents as e } from '@threadline/testing';
import { metricValue } from '../support/metric-value';
import { TraceabilityHarness, type TraceabilityStack } from '../support/traceability-harness';

describe.each<TraceabilityStack>(['rabbitmq+postgres', 'in-memory+sqlite'])(
  'traceability rules on %s',
  (stack) => {
    let h: TraceabilityHarness;
    beforeAll(async () => {
      h = await TraceabilityHarness.start(stack);
    });
    afterAll(() => h?.close());

    const sweep = (minutes: number) => h.lifecycle.gapSweeper.sweep(new Date(at(minutes)));
    const gapIds = async () => (await h.queries.gaps()).map((gap) => gap.gapId);
    const gap = async (gapId: string) => (await h.queries.gaps()).find((g) => g.gapId === gapId);

    describe('gap detection', () => {
      it('output declared with no consumption: after the window, once, resolved when it arrives', async () => {
        await h.apply(
          e.declared('G1-O1', 'G1-FG', 'FG', 5, 0),
          e.declared('G1-O2', 'G1-FG2', 'FG', 5, 0),
          e.consumed('G1-O2', 'G1-RAW', 5, 3),
        );
        await sweep(5);
        expect(await gapIds()).not.toContain('GAP-OWC-G1-O1');
        const found = await sweep(11);
        expect(found.filter((event) => event.subject === 'GAP-OWC-G1-O1')).toHaveLength(1);
        expect(await gap('GAP-OWC-G1-O1')).toMatchObject({
          rule: 'output-without-consumption',
          status: 'open',
          lotIds: ['G1-FG'],
          orderId: 'G1-O1',
        });
        expect(await gapIds()).not.toContain('GAP-OWC-G1-O2');
        await sweep(30);
        const announced = (await h.published('traceability.gap.detected')).filter(
          (event) => event.subject === 'GAP-OWC-G1-O1',
        );
        expect(announced).toHaveLength(1);
        expect(announced[0].data).toMatchObject({ gapId: 'GAP-OWC-G1-O1', lotIds: ['G1-FG'] });

        await h.apply(e.consumed('G1-O1', 'G1-RAW', 5, 40));
        await sweep(41);
        expect(await gap('GAP-OWC-G1-O1')).toMatchObject({ status: 'resolved' });
      });

      it('consumption of a lot never received or declared', async () => {
        await h.apply(
          e.consumed('G2-O1', 'G2-UNKNOWN', 1, 0),
          e.received('G2-KNOWN', 'STEEL', 0),
          e.consumed('G2-O1', 'G2-KNOWN', 1, 0),
          e.declared('G2-O1', 'G2-FG', 'FG', 2, 1),
        );
        await sweep(11);
        expect(await gap('GAP-CUL-G2-UNKNOWN')).toMatchObject({
          rule: 'consumption-of-unknown-lot',
          lotIds: ['G2-UNKNOWN'],
          orderId: 'G2-O1',
        });
        expect(await gapIds()).not.toContain('GAP-CUL-G2-KNOWN');
      });

      it('shipment of a lot on hold or blocked, at once and with severity high', async () => {
        await h.apply(
          e.received('G3-HELD', 'STEEL', 0),
          e.received('G3-FREED', 'STEEL', 0),
          e.received('G3-BLOCKED', 'STEEL', 0),
          e.holdPlaced('HOLD-G3', ['G3-HELD'], 1),
          e.holdPlaced('HOLD-G3F', ['G3-FREED'], 1),
          e.holdReleased('HOLD-G3F', ['G3-FREED'], 2),
          e.statusChanged('G3-BLOCKED', 'blocked', 2),
          e.shipped(
            'SHP-G3',
            'CUST-G',
            [
              ['G3-HELD', 1],
              ['G3-FREED', 1],
              ['G3-BLOCKED', 1],
            ],
            5,
          ),
        );
        // Holds, releases and status changes may reach the service after the shipment (they come
        // from other systems): the shipment is judged again by the sweep.
        await sweep(6);
        expect(await gap('GAP-SHL-SHP-G3/G3-HELD')).toMatchObject({
          rule: 'shipment-of-held-lot',
          severity: 'high',
          status: 'open',
          lotIds: ['G3-HELD'],
        });
        expect((await gap('GAP-SHL-SHP-G3/G3-HELD'))!.description).toContain('HOLD-G3');
        expect(await gap('GAP-SHL-SHP-G3/G3-BLOCKED')).toMatchObject({ status: 'open' });
        expect((await gap('GAP-SHL-SHP-G3/G3-BLOCKED'))!.description).toContain('blocked');
        // Released before it shipped: never a gap, or one resolved once the release is known.
        expect((await gap('GAP-SHL-SHP-G3/G3-FREED'))?.status ?? 'none').not.toBe('open');
        const events = (await h.published('traceability.gap.detected')).filter((event) =>
          event.subject.startsWith('GAP-SHL-SHP-G3/'),
        );
        const stored = (await h.queries.gaps()).filter((g) => g.rule === 'shipment-of-held-lot');
        expect(new Set(events.map((event) => event.subject)).size).toBe(events.length);
        expect(events).toHaveLength(stored.length);
        expect(
          await metricValue(h.metrics.traceGapsDetected, {
            rule: 'shipment-of-held-lot',
            severity: 'high',
          }),
        ).toBe(stored.length);
      });

      it('a hold that arrives after the shipment it covered is found by the sweep', async () => {
        await h.apply(
          e.received('G3-LATE', 'STEEL', 0),
          e.shipped('SHP-G3L', 'CUST-G', [['G3-LATE', 1]], 10),
        );
        expect(await gapIds()).not.toContain('GAP-SHL-SHP-G3L/G3-LATE');
        await h.apply(e.holdPlaced('HOLD-G3L', ['G3-LATE'], 5));
        await sweep(20);
        expect(await gap('GAP-SHL-SHP-G3L/G3-LATE')).toMatchObject({
          status: 'open',
          severity: 'high',
        });
      });

      it('a received lot of a material that needs inspection, with no inspection lot', async () => {
        await h.apply(
          e.received('G4-RESIN', 'RESIN', 0),
          e.received('G4-RESIN-OK', 'RESIN', 0),
          e.inspectionLotCreated('IL-G4', 'G4-RESIN-OK', 3),
          e.received('G4-STEEL', 'STEEL', 0),
        );
        await sweep(11);
        expect(await gap('GAP-RWI-G4-RESIN')).toMatchObject({ rule: 'receipt-without-inspection' });
        expect(await gapIds()).not.toContain('GAP-RWI-G4-RESIN-OK');
        expect(await gapIds()).not.toContain('GAP-RWI-G4-STEEL');
      });

      it('an output lot with no parent when its order completes', async () => {
        await h.apply(
          e.declared('G5-O1', 'G5-ORPHAN', 'FG', 1, 0),
          e.orderCompleted('G5-O1', 1),
          e.received('G5-RAW', 'STEEL', 0),
          e.consumed('G5-O2', 'G5-RAW', 1, 0),
          e.declared('G5-O2', 'G5-FG', 'FG', 1, 0),
          e.orderCompleted('G5-O2', 1),
        );
        await sweep(8);
        expect(await gapIds()).not.toContain('GAP-OWP-G5-ORPHAN');
        await sweep(12);
        expect(await gap('GAP-OWP-G5-ORPHAN')).toMatchObject({
          rule: 'output-without-parent',
          orderId: 'G5-O1',
        });
        expect(await gapIds()).not.toContain('GAP-OWP-G5-FG');
      });
    });

    describe('hold propagation', () => {
      beforeAll(() =>
        h.apply(
          e.received('P-RAW', 'RESIN', 0),
          e.consumed('P-O1', 'P-RAW', 10, 10),
          e.declared('P-O1', 'P-WIP', 'WIP', 10, 11),
          e.consumed('P-O2', 'P-WIP', 10, 20),
          e.declared('P-O2', 'P-FG1', 'FG', 3, 21),
          e.declared('P-O2', 'P-FG2', 'FG', 3, 21),
          e.declared('P-O2', 'P-FG3', 'FG', 4, 21),
          e.holdPlaced('HOLD-OLD', ['P-FG3'], 25),
          e.shipped('SHP-P1', 'CUST-X', [['P-FG2', 3]], 30),
        ),
      );

      it('holds unshipped descendants not already held, once per NC, and records recall candidates', async () => {
        const hold = e.holdPlaced('HOLD-P', ['P-RAW'], 40, 'NCR-P');
        await h.apply(hold);
        const commands = (await h.published('erp.inventory.hold.place')).filter(
          (command) => command.subject === 'NCR-P',
        );
        expect(commands).toHaveLength(1);
        expect(commands[0]).toMatchObject({
          idempotencykey: 'traceability:NCR-P:propagate',
          correlationid: hold.correlationid,
          causationid: hold.id,
          data: { lotIds: ['P-FG1', 'P-WIP'], ncrId: 'NCR-P', requestedBy: { kind: 'system' } },
        });
        const rows: { recall_candidates: unknown }[] = await h.runtime.dataSource.query(
          `SELECT recall_candidates FROM hold_propagation WHERE ncr_id = 'NCR-P'`,
        );
        const candidates =
          typeof rows[0].recall_candidates === 'string'
            ? JSON.parse(rows[0].recall_candidates)
            : rows[0].recall_candidates;
        expect(candidates).toEqual([
          expect.objectContaining({ shipmentId: 'SHP-P1', customerId: 'CUST-X', lotId: 'P-FG2' }),
        ]);

        expect(await metricValue(h.metrics.traceHoldsPropagated, { outcome: 'held' })).toBe(1);

        // The propagated hold coming back, or any later hold for the same NC: nothing more.
        await h.apply(e.holdPlaced('HOLD-P2', ['P-WIP', 'P-FG1'], 41, 'NCR-P'));
        expect(
          (await h.published('erp.inventory.hold.place')).filter((c) => c.subject === 'NCR-P'),
        ).toHaveLength(1);
      });

      it('does nothing for a hold without an NC, or in a plant where it is off', async () => {
        const before = (await h.published('erp.inventory.hold.place')).length;
        await h.apply(
          e.holdPlaced('HOLD-NONC', ['P-RAW'], 50),
          e.holdPlaced('HOLD-P02', ['P-RAW'], 51, 'NCR-P02', 'P02'),
        );
        expect(await h.published('erp.inventory.hold.place')).toHaveLength(before);
      });
    });
  },
);
