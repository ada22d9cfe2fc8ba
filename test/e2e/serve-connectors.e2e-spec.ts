import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@threadline/testing';
import { serveProcess } from '../support/serve-process';
import {
  startPlantSimulator,
  type PlantSimulator,
} from '../../apps/plant-simulator/src/plant-simulator';

const root = join(__dirname, '..', '..');
const SECRETS = {
  ERP_PASSWORD: 'erp-pw-e2e-4411',
  MES_TOKEN: 'mes-token-e2e',
  QMS_API_KEY: 'qms-key-e2e',
  QMS_WEBHOOK_SECRET: 'qms-webhook-e2e',
  CMMS_TOKEN: 'cmms-token-e2e',
};

const serve = serveProcess;

describe('threadline serve with connector services (separate process, embedded default)', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-serve-connectors-'));
  const connectors = join(workspace, 'connectors');
  let simulator: PlantSimulator;

  beforeAll(async () => {
    cpSync(join(root, 'connectors'), connectors, { recursive: true });
    for (const file of ['erp-sap.yaml', 'mes.yaml', 'qms.yaml', 'cmms.yaml']) {
      const path = join(connectors, file);
      writeFileSync(
        path,
        readFileSync(path, 'utf8').replace(/intervalSeconds: \d+/g, 'intervalSeconds: 1'),
      );
    }
    simulator = await startPlantSimulator({ port: 0, webhookSecret: SECRETS.QMS_WEBHOOK_SECRET });
  });

  afterAll(async () => {
    await simulator?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('refuses to start on an invalid connector file: exit 1, the file and the variable named', async () => {
    const { ERP_PASSWORD: _left, ...withoutErpPassword } = SECRETS;
    const run = serve(['connector-erp'], {
      ...withoutErpPassword,
      CONNECTORS_DIR: connectors,
      THREADLINE_SQLITE_PATH: join(workspace, 'refused.sqlite'),
      METRICS_PORT: '0',
    });
    expect(await run.exited).toBe(1);
    const { stderr } = run.output();
    expect(stderr).toContain('erp-sap.yaml');
    expect(stderr).toContain(
      'spec.target.auth.password: environment variable ERP_PASSWORD is not set',
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 30_000);

  it('reports each target on /health/ready: degraded while one is down, up again after', async () => {
    const run = serve(['connector-erp', 'connector-mes', 'connector-qms', 'connector-cmms'], {
      ...SECRETS,
      SIM_URL: simulator.url,
      CONNECTORS_DIR: connectors,
      THREADLINE_SQLITE_PATH: join(workspace, 'health.sqlite'),
      METRICS_PORT: '0',
      WEBHOOK_PORT: '0',
      WEBHOOK_HOST: '127.0.0.1',
    });
    try {
      // The process logs the metrics port it bound ("metricsPort": N) once it serves.
      await eventually(() => /"metricsPort":\d+/.test(run.output().stdout), 'serving', 30_000, 100);
      const port = Number(/"metricsPort":(\d+)/.exec(run.output().stdout)![1]);
      const ready = async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(
          () => undefined,
        );
        return response
          ? {
              status: response.status,
              body: (await response.json()) as {
                status: string;
                components: { name: string; state: string }[];
              },
            }
          : undefined;
      };
      await eventually(
        async () => (await ready())?.body.status === 'up',
        'ready and up',
        30_000,
        200,
      );
      const up = (await ready())!;
      expect(up.status).toBe(200);
      expect(up.body.components.map((component) => component.name)).toEqual([
        'broker (in-memory)',
        'database',
        'erp-sap (erp)',
        'mes (mes)',
        'qms (qms)',
        'cmms (cmms)',
      ]);
      await fetch(`${simulator.url}/_sim/faults/erp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outage: true }),
      });
      await eventually(
        async () => (await ready())?.body.status === 'degraded',
        'degraded',
        30_000,
        200,
      );
      const degraded = (await ready())!;
      expect(degraded.status).toBe(200);
      expect(degraded.body.components).toContainEqual({ name: 'erp-sap (erp)', state: 'down' });
      expect(degraded.body.components).toContainEqual({ name: 'mes (mes)', state: 'up' });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('threadline_connector_target_up{system="erp"} 0');
      await fetch(`${simulator.url}/_sim/faults/erp`, { method: 'DELETE' });
      await eventually(async () => (await ready())?.body.status === 'up', 'up again', 40_000, 200);
      expect(run.output().stdout).not.toContain(SECRETS.ERP_PASSWORD);
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  }, 90_000);
});
