import { FlowInstance } from '@threadline/persistence';
import { eventually } from '@threadline/testing';
import { PlantProcesses } from '../support/plant-processes';

const REPORTER = { user_id: 'inspector-7', display_name: 'Ines Inspector' };
const APPROVER = { user_id: 'qa-lead-2', display_name: 'Quentin Approver' };
const CONTAINMENT_DONE = [
  'hold',
  'work-order',
  'line-stop',
  'maintenance',
  'disposition',
  'release',
  'line-resume',
];

/**
 * Issue #7 end to end, distributed: the simulator and each service its own process
 * (`threadline serve <service>`) on RabbitMQ and PostgreSQL.
 */
describe('NC scenarios with every service in its own process (RabbitMQ, PostgreSQL)', () => {
  let plant: PlantProcesses;

  beforeAll(async () => {
    // Command retries outlast a few seconds of ERP outage: 1 s, then 2 s apart, 12 attempts.
    plant = await PlantProcesses.start({ retry: { delaysMs: '1000,2000', maxAttempts: '12' } });
  }, 300_000);

  afterAll(async () => {
    await plant?.close();
  }, 60_000);

  it('holds the lot and its descendant, one emergency work order, line stopped; then releases and resumes; one flow for a twice-delivered NC', async () => {
    const output = `OUT-E2E-${Date.now() % 100_000}`;
    await plant.sim('POST', '/_sim/mes/consumptions', {
      orderId: '1000001',
      consumedLotId: 'LOT-1001',
      materialId: 'MAT-100',
      quantity: 4,
      unit: 'KG',
    });
    await plant.sim('POST', '/_sim/mes/output', {
      orderId: '1000001',
      outputLotId: output,
      materialId: 'MAT-900',
      quantity: 10,
    });
    await eventually(
      async () =>
        (
          await plant.dataSource.query(
            `SELECT 1 FROM lot_link k JOIN lot a ON a.seq = k.from_seq JOIN lot b ON b.seq = k.to_seq
             WHERE a.lot_id = 'LOT-1001' AND b.lot_id = $1`,
            [output],
          )
        ).length === 1,
      'the genealogy link LOT-1001 -> output',
      30_000,
    );

    const nc = (await plant.sim('POST', '/_sim/qms/nonconformances', {
      severity_level: 'CRITICAL',
      affected_lots: ['LOT-1001'],
      defect_code: 'TORQUE-LOW',
      description: 'Fastening torque below specification.',
      equipment_ref: 'PRESS-01',
      reported_by: REPORTER,
    })) as { nc_number: string };
    await eventually(
      async () => {
        const held = Object.values((await plant.state()).erp.holds)
          .filter((hold) => hold.HoldStatus === 'ACTIVE')
          .flatMap((hold) => hold.Batches);
        return held.includes('LOT-1001') && held.includes(output);
      },
      'holds on the lot and its descendant',
      30_000,
    );
    await eventually(
      async () => (await plant.state()).mes.lines['LINE-1'].state === 'STOPPED',
      'LINE-1 stopped',
      30_000,
    );
    const delivery = (await plant.state()).qms.webhookDeliveries.find(
      (d) => d.event === 'nonconformance.raised' && d.body.includes(nc.nc_number),
    )!;
    await plant.sim('POST', `/_sim/qms/webhooks/deliveries/${delivery.webhookId}/redeliver`);

    const orders = async () =>
      Object.values((await plant.state()).cmms.workOrders).filter(
        (o) => o.assetNumber === 'PRESS-01',
      );
    await plant.flowAt(nc.nc_number, 'maintenance', 'running');
    expect(await orders()).toHaveLength(1);
    await plant.sim(
      'POST',
      `/_sim/cmms/workorders/${(await orders())[0].workOrderNumber}/complete`,
      { failureCause: 'Worn clutch', actualLaborHours: 2, materialsUsed: [] },
    );
    await plant.flowAt(nc.nc_number, 'disposition', 'running');
    await plant.sim('POST', `/_sim/qms/nonconformances/${nc.nc_number}/disposition`, {
      decision: 'RELEASE',
      approved_by: APPROVER,
      reason: 'Re-torqued and verified',
    });
    await plant.flowAt(nc.nc_number, null, 'completed');

    const final = await plant.state();
    const holds = Object.values(final.erp.holds).filter((hold) =>
      hold.Batches.some((batch) => batch === 'LOT-1001' || batch === output),
    );
    expect(holds.flatMap((hold) => hold.Batches).sort()).toEqual(['LOT-1001', output].sort());
    expect(holds.map((hold) => hold.HoldStatus)).toEqual(holds.map(() => 'RELEASED'));
    expect(final.mes.lineEvents.filter((e) => e.lineId === 'LINE-1').map((e) => e.kind)).toEqual([
      'STOPPED',
      'RESUMED',
    ]);
    const workOrders = await orders();
    expect(workOrders).toHaveLength(1);
    expect(workOrders[0]).toMatchObject({ workType: 'EM', priority: 1, status: 'COMP' });
    expect(
      await plant.dataSource.manager.count(FlowInstance, {
        where: { type: 'ncr-containment', subject: nc.nc_number },
      }),
    ).toBe(1);
    expect((await plant.steps(nc.nc_number, 'done')).map((step) => step.name)).toEqual(
      CONTAINMENT_DONE,
    );
  }, 180_000);

  it('escalates while the ERP is down during the hold step, then contains once it is back', async () => {
    await plant.sim('POST', '/_sim/faults/erp', { outage: true });
    const nc = (await plant.sim('POST', '/_sim/qms/nonconformances', {
      severity_level: 'MAJOR',
      affected_lots: ['LOT-2001'],
      defect_code: 'CONTAMINATION',
      description: 'Foreign particles in the resin.',
      reported_by: REPORTER,
    })) as { nc_number: string };
    await plant.flowAt(nc.nc_number, 'hold', 'escalated');
    const escalated = await plant.dataSource.query<{ body: string }[]>(
      `SELECT body FROM outbox WHERE routing_key = 'flow.escalated'`,
    );
    const flow = (await plant.flow(nc.nc_number))!;
    expect(
      escalated
        .map((row) => JSON.parse(row.body) as { data: { flowId: string; step: string } })
        .filter((event) => event.data.flowId === flow.id)
        .map((event) => event.data.step),
    ).toContain('hold');
    const held = async () =>
      Object.values((await plant.state()).erp.holds).filter(
        (hold) => hold.Batches.includes('LOT-2001') && hold.HoldStatus === 'ACTIVE',
      );
    expect(await held()).toEqual([]);

    await plant.sim('DELETE', '/_sim/faults/erp');
    await plant.flowAt(nc.nc_number, 'disposition', 'running', 60_000);
    expect(await held()).toHaveLength(1);
    expect(
      (await plant.steps(nc.nc_number, 'done')).filter((step) => step.name === 'hold'),
    ).toHaveLength(1);
  }, 180_000);
});
