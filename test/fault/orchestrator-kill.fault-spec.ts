import { PlantProcesses } from '../support/plant-processes';

const REPORTER = { user_id: 'inspector-7', display_name: 'Ines Inspector' };
const APPROVER = { user_id: 'qa-lead-2', display_name: 'Quentin Approver' };

/**
 * Issue #7: with every service in its own process, the orchestrator killed with SIGKILL in the
 * middle of a containment (line stopped, waiting for maintenance) while the work order is
 * completed and the NC dispositioned; restarted, it completes the flow with no step done twice
 * and no command acted on twice.
 */
describe('fault: the orchestrator killed with SIGKILL mid-flow', () => {
  let plant: PlantProcesses;

  beforeAll(async () => {
    plant = await PlantProcesses.start();
  }, 300_000);

  afterAll(async () => {
    await plant?.close();
  }, 60_000);

  it('completes the flow after a restart, each step and each command once', async () => {
    const nc = (await plant.sim('POST', '/_sim/qms/nonconformances', {
      severity_level: 'CRITICAL',
      affected_lots: ['LOT-1002'],
      defect_code: 'CRACK',
      description: 'Hairline crack found after pressing.',
      equipment_ref: 'PRESS-01',
      reported_by: REPORTER,
    })) as { nc_number: string };
    await plant.flowAt(nc.nc_number, 'maintenance', 'running', 60_000);
    await plant.kill('orchestrator');

    // While it is down: the work order is done and the NC dispositioned (the events wait in its
    // queue), and the QMS delivers the NC once more.
    const [order] = Object.values((await plant.state()).cmms.workOrders).filter(
      (workOrder) => workOrder.assetNumber === 'PRESS-01',
    );
    await plant.sim('POST', `/_sim/cmms/workorders/${order.workOrderNumber}/complete`, {
      failureCause: 'Die insert cracked',
      actualLaborHours: 3,
      materialsUsed: [],
    });
    await plant.sim('POST', `/_sim/qms/nonconformances/${nc.nc_number}/disposition`, {
      decision: 'RELEASE',
      approved_by: APPROVER,
      reason: 'Cracked parts sorted out, remainder 100% inspected',
    });
    const delivery = (await plant.state()).qms.webhookDeliveries.find(
      (d) => d.event === 'nonconformance.raised' && d.body.includes(nc.nc_number),
    )!;
    await plant.sim('POST', `/_sim/qms/webhooks/deliveries/${delivery.webhookId}/redeliver`);

    await plant.startService('orchestrator');
    await plant.flowAt(nc.nc_number, null, 'completed', 60_000);
    expect((await plant.steps(nc.nc_number, 'done')).map((step) => step.name)).toEqual([
      'hold',
      'work-order',
      'line-stop',
      'maintenance',
      'disposition',
      'release',
      'line-resume',
    ]);
    expect((await plant.steps(nc.nc_number, 'sent')).map((step) => step.name)).toEqual([
      'hold',
      'work-order',
      'line-stop',
      'release',
      'line-resume',
    ]);
    const state = await plant.state();
    const holds = Object.values(state.erp.holds).filter((hold) =>
      hold.Batches.includes('LOT-1002'),
    );
    expect(holds.map((hold) => hold.HoldStatus)).toEqual(['RELEASED']);
    expect(
      Object.values(state.cmms.workOrders).filter((o) => o.assetNumber === 'PRESS-01'),
    ).toHaveLength(1);
    expect(state.mes.lineEvents.filter((e) => e.lineId === 'LINE-1').map((e) => e.kind)).toEqual([
      'STOPPED',
      'RESUMED',
    ]);
  }, 240_000);
});
