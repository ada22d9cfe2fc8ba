import { eventually } from '@threadline/testing';
import { ORCHESTRATOR_SERVICE } from '@threadline/app-orchestrator';
import { PLANT_SERVICES, PlantHarness } from '../support/plant-harness';
import { serveProcess } from '../support/serve-process';

const REPORTER = { user_id: 'inspector-7', display_name: 'Ines Inspector' };
const APPROVER = { user_id: 'qa-lead-2', display_name: 'Quentin Approver' };

/**
 * Issue #7: the orchestrator, its own process, killed with SIGKILL in the middle of a
 * containment (line stopped, waiting for maintenance) while the work order is completed and
 * the NC dispositioned; restarted, it completes the flow with no step done twice and no command
 * acted on twice.
 */
describe('fault: the orchestrator killed with SIGKILL mid-flow', () => {
  let plant: PlantHarness;
  const children: ReturnType<typeof serveProcess>[] = [];
  const startOrchestrator = async () => {
    const child = serveProcess(['orchestrator'], { ...plant.env, METRICS_PORT: '0' });
    children.push(child);
    await eventually(
      () => child.output().stdout.includes('threadline serving'),
      'the orchestrator serving',
      60_000,
    );
    return child;
  };

  beforeAll(async () => {
    plant = await PlantHarness.start('rabbitmq+postgres', {
      services: PLANT_SERVICES.filter((service) => service !== ORCHESTRATOR_SERVICE),
    });
  });

  afterAll(async () => {
    for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    await plant?.close();
  });

  it('completes the flow after a restart, each step once', async () => {
    const first = await startOrchestrator();
    const nc = (await plant.sim('POST', '/_sim/qms/nonconformances', {
      severity_level: 'CRITICAL',
      affected_lots: ['LOT-1002'],
      defect_code: 'CRACK',
      description: 'Hairline crack found after pressing.',
      equipment_ref: 'PRESS-01',
      reported_by: REPORTER,
    })) as { nc_number: string };
    await plant.flowWhen(
      'ncr-containment',
      nc.nc_number,
      ({ flow }) => flow.currentStep === 'maintenance',
      'held, work order asked for, line stopped',
      60_000,
    );
    first.child.kill('SIGKILL');
    await first.exited;

    // While it is down: the work order is done and the NC dispositioned (the events wait in its
    // queue), and the QMS delivers the NC once more.
    const [order] = Object.values(plant.simulator.state.cmms.workOrders).filter(
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

    await startOrchestrator();
    const done = await plant.flowWhen(
      'ncr-containment',
      nc.nc_number,
      ({ flow }) => flow.state === 'completed',
      'completed after the restart',
      60_000,
    );
    const doneSteps = done.steps.filter((step) => step.state === 'done').map((step) => step.name);
    expect(doneSteps).toEqual([
      'hold',
      'work-order',
      'line-stop',
      'maintenance',
      'disposition',
      'release',
      'line-resume',
    ]);
    expect(done.steps.filter((step) => step.state === 'sent').map((step) => step.name)).toEqual([
      'hold',
      'work-order',
      'line-stop',
      'release',
      'line-resume',
    ]);
    const holds = Object.values(plant.simulator.state.erp.holds).filter((hold) =>
      hold.Batches.includes('LOT-1002'),
    );
    expect(holds.map((hold) => hold.HoldStatus)).toEqual(['RELEASED']);
    expect(
      Object.values(plant.simulator.state.cmms.workOrders).filter(
        (workOrder) => workOrder.assetNumber === 'PRESS-01',
      ),
    ).toHaveLength(1);
    const line = plant.simulator.state.mes.lineEvents.filter((event) => event.lineId === 'LINE-1');
    expect(line.map((event) => event.kind)).toEqual(['STOPPED', 'RESUMED']);
    expect(await plant.flows('ncr-containment')).toHaveLength(1);
  }, 240_000);
});
