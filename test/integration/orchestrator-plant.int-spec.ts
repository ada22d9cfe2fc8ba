import { GenealogyQueries } from '@threadline/traceability';
import { eventually } from '@threadline/testing';
import { PlantHarness, type PlantStack } from '../support/plant-harness';

const ORDER = '1000001';
const REPORTER = { user_id: 'inspector-7', display_name: 'Ines Inspector' };
const APPROVER = { user_id: 'qa-lead-2', display_name: 'Quentin Approver' };

/**
 * Issue #7 2a end to end through the real connectors and the plant simulator: a critical NC
 * raised in the QMS holds its lot and the lot made from it in the ERP, asks the CMMS for one
 * emergency work order, stops the line in the MES; the work order completed and a releasing
 * disposition release both holds and resume the line.
 */
describe.each<PlantStack>(['rabbitmq+postgres', 'in-memory+sqlite'])(
  'nonconformance containment through the plant (%s)',
  (stack) => {
    let plant: PlantHarness;
    const tag = `${Date.now() % 1_000_000}`;
    const output = `OUT-${tag}`;

    beforeAll(async () => {
      plant = await PlantHarness.start(stack);
    });

    afterAll(async () => {
      await plant?.close();
    });

    it('holds the lot and its descendant, asks for one emergency work order and stops the line', async () => {
      // Genealogy first: LOT-1001 consumed into the order that declared OUT-<tag>.
      await plant.sim('POST', '/_sim/mes/consumptions', {
        orderId: ORDER,
        consumedLotId: 'LOT-1001',
        materialId: 'MAT-100',
        quantity: 4,
        unit: 'KG',
      });
      await plant.sim('POST', '/_sim/mes/output', {
        orderId: ORDER,
        outputLotId: output,
        materialId: 'MAT-900',
        quantity: 10,
      });
      const queries = new GenealogyQueries(plant.runtime.dataSource);
      await eventually(
        async () => (await queries.descendantsOf(['LOT-1001'])).onHand.includes(output),
        'traceability links LOT-1001 to the output lot',
        30_000,
      );

      const nc = (await plant.sim('POST', '/_sim/qms/nonconformances', {
        severity_level: 'CRITICAL',
        affected_lots: ['LOT-1001'],
        defect_code: 'TORQUE-LOW',
        description: 'Fastening torque below specification at the press.',
        equipment_ref: 'PRESS-01',
        reported_by: REPORTER,
      })) as { nc_number: string };

      await eventually(
        () => {
          const held = activeHolds(plant).flatMap((hold) => hold.Batches);
          return held.includes('LOT-1001') && held.includes(output);
        },
        'ERP holds on LOT-1001 and its descendant',
        30_000,
      );
      await eventually(
        () => plant.simulator.state.mes.lines['LINE-1'].state === 'STOPPED',
        'LINE-1 stopped',
        30_000,
      );
      const view = await plant.flowWhen(
        'ncr-containment',
        nc.nc_number,
        ({ flow }) => flow.currentStep === 'maintenance',
        'waiting for the work order',
      );
      const orders = Object.values(plant.simulator.state.cmms.workOrders).filter(
        (order) => order.assetNumber === 'PRESS-01',
      );
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ workType: 'EM', priority: 1 });
      expect(view.flow.state).toBe('running');

      // The QMS delivers the NC again: still one flow, still one work order, one hold request.
      const delivery = plant.simulator.state.qms.webhookDeliveries.find(
        (d) => d.event === 'nonconformance.raised' && d.body.includes(nc.nc_number),
      )!;
      await plant.sim('POST', `/_sim/qms/webhooks/deliveries/${delivery.webhookId}/redeliver`);
      await eventually(
        async () =>
          (await plant.published('quality.nonconformance.raised')).filter(
            (event) => event.subject === nc.nc_number,
          ).length >= 1,
        'the NC event published',
      );

      await plant.sim('POST', `/_sim/cmms/workorders/${orders[0].workOrderNumber}/complete`, {
        failureCause: 'Worn nut runner clutch',
        actualLaborHours: 2,
        materialsUsed: [],
      });
      await plant.flowWhen(
        'ncr-containment',
        nc.nc_number,
        ({ flow }) => flow.currentStep === 'disposition',
        'waiting for the disposition',
      );
      await plant.sim('POST', `/_sim/qms/nonconformances/${nc.nc_number}/disposition`, {
        decision: 'RELEASE',
        approved_by: APPROVER,
        reason: 'Re-torqued and verified, 100% checked',
      });

      const done = await plant.flowWhen(
        'ncr-containment',
        nc.nc_number,
        ({ flow }) => flow.state === 'completed',
        'completed',
      );
      const ncHolds = Object.values(plant.simulator.state.erp.holds).filter((hold) =>
        hold.Batches.some((batch) => batch === 'LOT-1001' || batch === output),
      );
      expect(ncHolds.map((hold) => hold.HoldStatus)).toEqual(ncHolds.map(() => 'RELEASED'));
      expect(ncHolds.flatMap((hold) => hold.Batches).sort()).toEqual(['LOT-1001', output].sort());
      expect(plant.simulator.state.mes.lines['LINE-1'].state).toBe('RUNNING');
      expect(
        Object.values(plant.simulator.state.cmms.workOrders).filter(
          (order) => order.assetNumber === 'PRESS-01',
        ),
      ).toHaveLength(1);
      expect(await plant.flows('ncr-containment')).toHaveLength(1);
      expect(done.steps.filter((step) => step.state === 'done').map((step) => step.name)).toEqual([
        'hold',
        'work-order',
        'line-stop',
        'maintenance',
        'disposition',
        'release',
        'line-resume',
      ]);
      const commands = [
        ...(await plant.published('erp.inventory.hold.place')),
        ...(await plant.published('cmms.workorder.create')),
        ...(await plant.published('mes.line.stop')),
        ...(await plant.published('erp.inventory.hold.release')),
        ...(await plant.published('mes.line.resume')),
      ].filter((command) => command.source.endsWith('/orchestrator'));
      expect(new Set(commands.map((command) => command.correlationid))).toEqual(
        new Set([done.flow.correlationId]),
      );
    });
  },
);

function activeHolds(plant: PlantHarness) {
  return Object.values(plant.simulator.state.erp.holds).filter(
    (hold) => hold.HoldStatus === 'ACTIVE',
  );
}
