import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource, FlowInstance, FlowStep } from '@threadline/persistence';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  type TestDatabase,
  type TestVhost,
} from '@threadline/testing';
import type { DataSource } from 'typeorm';
import type { SimulatorState } from '../../apps/plant-simulator/src/state/simulator-state';
import { TEST_ORCHESTRATOR_CONFIG } from '../support/plant-harness';
import { serveProcess } from '../support/serve-process';

const ROOT = join(__dirname, '..', '..');
const SERVICES = [
  'connector-erp',
  'connector-mes',
  'connector-qms',
  'connector-cmms',
  'traceability',
  'orchestrator',
] as const;
const WEBHOOK_PATH = '/webhooks/qms/nonconformances';
const REPORTER = { user_id: 'inspector-7', display_name: 'Ines Inspector' };
const APPROVER = { user_id: 'qa-lead-2', display_name: 'Quentin Approver' };

/**
 * Issue #7 end to end, distributed: the simulator and each service its own process
 * (`threadline serve <service>`) on RabbitMQ and PostgreSQL. The NC scenario ends with the ERP
 * showing the holds placed and released on the lot and its descendant, one emergency work order,
 * the line stopped and resumed, and one flow although the QMS delivered the NC twice.
 */
describe('the NC scenario with every service in its own process (RabbitMQ, PostgreSQL)', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-plant-e2e-'));
  const children: { kill: () => void; exited: Promise<number | null> }[] = [];
  let vhost: TestVhost;
  let database: TestDatabase;
  let dataSource: DataSource;
  let simUrl = '';
  const sim = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${simUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  const state = async () => (await sim('GET', '/_sim/state')) as SimulatorState;

  beforeAll(async () => {
    vhost = await createTestVhost('plant-e2e');
    database = await createTestDatabase('threadline_plant_e2e');
    const connectors = join(workspace, 'connectors');
    cpSync(join(ROOT, 'connectors'), connectors, { recursive: true });
    for (const file of readdirSync(connectors).filter((name) => name.endsWith('.yaml'))) {
      const path = join(connectors, file);
      writeFileSync(
        path,
        readFileSync(path, 'utf8').replace(/intervalSeconds: \d+/g, 'intervalSeconds: 1'),
      );
    }
    writeFileSync(join(workspace, 'orchestrator.yaml'), TEST_ORCHESTRATOR_CONFIG);
    const webhookPort = await freePort();
    const secrets = {
      ERP_PASSWORD: 'e2e-erp-password',
      MES_TOKEN: 'e2e-mes-token',
      QMS_API_KEY: 'e2e-qms-key',
      QMS_WEBHOOK_SECRET: 'e2e-webhook-secret',
      CMMS_TOKEN: 'e2e-cmms-token',
    };

    const simulator = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/plant-simulator/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          SIM_PORT: '0',
          SIM_HOST: '127.0.0.1',
          SIM_PLC: 'off',
          QMS_WEBHOOK_SECRET: secrets.QMS_WEBHOOK_SECRET,
          QMS_WEBHOOK_URLS: ['', '/dispositioned', '/closed']
            .map((suffix) => `http://127.0.0.1:${webhookPort}${WEBHOOK_PATH}${suffix}`)
            .join(','),
        },
      },
    );
    let simOut = '';
    simulator.stdout.on('data', (chunk: Buffer) => (simOut += chunk.toString()));
    children.push({
      kill: () => simulator.kill('SIGTERM'),
      exited: new Promise((resolve) => simulator.on('exit', resolve)),
    });
    await eventually(
      () => {
        const match = /listening on (http:\/\/\S+)/.exec(simOut);
        if (match) simUrl = match[1]!;
        return simUrl !== '';
      },
      'the simulator listening',
      30_000,
    );

    for (const service of SERVICES) {
      const run = serveProcess([service], {
        ...secrets,
        AMQP_URL: vhost.url,
        DATABASE_URL: database.url,
        METRICS_PORT: '0',
        SIM_URL: simUrl,
        CONNECTORS_DIR: connectors,
        ORCHESTRATOR_CONFIG: join(workspace, 'orchestrator.yaml'),
        TRACEABILITY_PORT: '0',
        WEBHOOK_PORT: service === 'connector-qms' ? String(webhookPort) : '0',
        WEBHOOK_HOST: '127.0.0.1',
        RETRY_DELAYS_MS: '300,1000',
        RETRY_MAX_ATTEMPTS: '4',
      });
      children.push({ kill: () => run.child.kill('SIGTERM'), exited: run.exited });
      await eventually(
        () => run.output().stdout.includes('threadline serving'),
        `${service} serving: ${run.output().stderr.slice(-500)}`,
        60_000,
      );
    }
    dataSource = createDataSource({ url: database.url });
    await dataSource.initialize();
  }, 300_000);

  afterAll(async () => {
    for (const child of [...children].reverse()) child.kill();
    await Promise.all(children.map((child) => child.exited));
    await dataSource?.destroy();
    await vhost?.drop();
    await database?.drop();
    rmSync(workspace, { recursive: true, force: true });
  }, 60_000);

  it('contains, maintains and releases across the processes', async () => {
    const output = `OUT-E2E-${Date.now() % 100_000}`;
    await sim('POST', '/_sim/mes/consumptions', {
      orderId: '1000001',
      consumedLotId: 'LOT-1001',
      materialId: 'MAT-100',
      quantity: 4,
      unit: 'KG',
    });
    await sim('POST', '/_sim/mes/output', {
      orderId: '1000001',
      outputLotId: output,
      materialId: 'MAT-900',
      quantity: 10,
    });
    await eventually(
      async () =>
        (
          await dataSource.query(
            `SELECT 1 FROM lot_link k JOIN lot a ON a.seq = k.from_seq JOIN lot b ON b.seq = k.to_seq
             WHERE a.lot_id = 'LOT-1001' AND b.lot_id = $1`,
            [output],
          )
        ).length === 1,
      'the genealogy link LOT-1001 -> output',
      30_000,
    );

    const nc = (await sim('POST', '/_sim/qms/nonconformances', {
      severity_level: 'CRITICAL',
      affected_lots: ['LOT-1001'],
      defect_code: 'TORQUE-LOW',
      description: 'Fastening torque below specification.',
      equipment_ref: 'PRESS-01',
      reported_by: REPORTER,
    })) as { nc_number: string };
    await eventually(
      async () => {
        const held = Object.values((await state()).erp.holds)
          .filter((hold) => hold.HoldStatus === 'ACTIVE')
          .flatMap((hold) => hold.Batches);
        return held.includes('LOT-1001') && held.includes(output);
      },
      'holds on the lot and its descendant',
      30_000,
    );
    await eventually(
      async () => (await state()).mes.lines['LINE-1'].state === 'STOPPED',
      'LINE-1 stopped',
      30_000,
    );
    const delivery = (await state()).qms.webhookDeliveries.find(
      (d) => d.event === 'nonconformance.raised' && d.body.includes(nc.nc_number),
    )!;
    await sim('POST', `/_sim/qms/webhooks/deliveries/${delivery.webhookId}/redeliver`);

    const orders = async () =>
      Object.values((await state()).cmms.workOrders).filter((o) => o.assetNumber === 'PRESS-01');
    await eventually(async () => (await orders()).length === 1, 'one work order', 30_000);
    const flowAt = async (step: string | null, flowState: string) =>
      eventually(
        async () => {
          const flow = await dataSource.manager.findOne(FlowInstance, {
            where: { type: 'ncr-containment', subject: nc.nc_number },
          });
          return flow?.currentStep === step && flow.state === flowState;
        },
        `flow at ${step ?? 'end'} ${flowState}`,
        30_000,
      );
    await flowAt('maintenance', 'running');
    await sim('POST', `/_sim/cmms/workorders/${(await orders())[0].workOrderNumber}/complete`, {
      failureCause: 'Worn clutch',
      actualLaborHours: 2,
      materialsUsed: [],
    });
    await flowAt('disposition', 'running');
    await sim('POST', `/_sim/qms/nonconformances/${nc.nc_number}/disposition`, {
      decision: 'RELEASE',
      approved_by: APPROVER,
      reason: 'Re-torqued and verified',
    });
    await flowAt(null, 'completed');

    const final = await state();
    const holds = Object.values(final.erp.holds).filter((hold) =>
      hold.Batches.some((batch) => batch === 'LOT-1001' || batch === output),
    );
    expect(holds.flatMap((hold) => hold.Batches).sort()).toEqual(['LOT-1001', output].sort());
    expect(holds.map((hold) => hold.HoldStatus)).toEqual(holds.map(() => 'RELEASED'));
    expect(final.mes.lineEvents.filter((e) => e.lineId === 'LINE-1').map((e) => e.kind)).toEqual([
      'STOPPED',
      'RESUMED',
    ]);
    const workOrders = Object.values(final.cmms.workOrders).filter(
      (o) => o.assetNumber === 'PRESS-01',
    );
    expect(workOrders).toHaveLength(1);
    expect(workOrders[0]).toMatchObject({ workType: 'EM', priority: 1, status: 'COMP' });
    expect(
      await dataSource.manager.count(FlowInstance, { where: { type: 'ncr-containment' } }),
    ).toBe(1);
    const flow = await dataSource.manager.findOneOrFail(FlowInstance, {
      where: { subject: nc.nc_number },
    });
    const steps = await dataSource.manager.find(FlowStep, {
      where: { flowId: flow.id, state: 'done' },
      order: { seq: 'ASC' },
    });
    expect(steps.map((step) => step.name)).toEqual([
      'hold',
      'work-order',
      'line-stop',
      'maintenance',
      'disposition',
      'release',
      'line-resume',
    ]);
  }, 180_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
