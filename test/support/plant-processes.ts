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
import { TEST_ORCHESTRATOR_CONFIG } from './plant-harness';
import { serveProcess } from './serve-process';
import { simulatorCall } from './simulator-call';

const ROOT = join(__dirname, '..', '..');
export const PLANT_SERVICE_NAMES = [
  'connector-erp',
  'connector-mes',
  'connector-qms',
  'connector-cmms',
  'traceability',
  'orchestrator',
] as const;
export type PlantServiceName = (typeof PLANT_SERVICE_NAMES)[number];
const WEBHOOK_PATH = '/webhooks/qms/nonconformances';
const SECRETS = {
  ERP_PASSWORD: 'e2e-erp-password',
  MES_TOKEN: 'e2e-mes-token',
  QMS_API_KEY: 'e2e-qms-key',
  QMS_WEBHOOK_SECRET: 'e2e-webhook-secret',
  CMMS_TOKEN: 'e2e-cmms-token',
};

interface Child {
  readonly kill: (signal: NodeJS.Signals) => void;
  readonly exited: Promise<number | null>;
}

/**
 * The distributed mode for end-to-end tests: the plant simulator and each service its own
 * process (`threadline serve <service>`) on a RabbitMQ vhost and a PostgreSQL database of their
 * own; connector polls every second.
 */
export class PlantProcesses {
  private readonly children = new Map<string, Child>();
  simUrl = '';
  dataSource!: DataSource;

  private constructor(
    private readonly workspace: string,
    private readonly vhost: TestVhost,
    private readonly database: TestDatabase,
    private readonly webhookPort: number,
    private readonly retry: { delaysMs: string; maxAttempts: string },
  ) {}

  static async start(
    options: { retry?: { delaysMs: string; maxAttempts: string } } = {},
  ): Promise<PlantProcesses> {
    const workspace = mkdtempSync(join(tmpdir(), 'threadline-plant-e2e-'));
    const plant = new PlantProcesses(
      workspace,
      await createTestVhost('plant-e2e'),
      await createTestDatabase('threadline_plant_e2e'),
      await freePort(),
      options.retry ?? { delaysMs: '300,1000', maxAttempts: '4' },
    );
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
    await plant.startSimulator();
    for (const service of PLANT_SERVICE_NAMES) await plant.startService(service);
    plant.dataSource = createDataSource({ url: plant.database.url });
    await plant.dataSource.initialize();
    return plant;
  }

  private async startSimulator(): Promise<void> {
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
          QMS_WEBHOOK_SECRET: SECRETS.QMS_WEBHOOK_SECRET,
          QMS_WEBHOOK_URLS: ['', '/dispositioned', '/closed']
            .map((suffix) => `http://127.0.0.1:${this.webhookPort}${WEBHOOK_PATH}${suffix}`)
            .join(','),
        },
      },
    );
    let out = '';
    simulator.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    this.children.set('simulator', {
      kill: (signal) => simulator.kill(signal),
      exited: new Promise((resolve) => simulator.on('exit', resolve)),
    });
    await eventually(
      () => {
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match) this.simUrl = match[1]!;
        return this.simUrl !== '';
      },
      'the simulator listening',
      30_000,
    );
  }

  /** Starts (or restarts) one service as its own process and waits until it serves. */
  async startService(service: PlantServiceName): Promise<void> {
    const run = serveProcess([service], {
      ...SECRETS,
      AMQP_URL: this.vhost.url,
      DATABASE_URL: this.database.url,
      METRICS_PORT: '0',
      SIM_URL: this.simUrl,
      CONNECTORS_DIR: join(this.workspace, 'connectors'),
      ORCHESTRATOR_CONFIG: join(this.workspace, 'orchestrator.yaml'),
      TRACEABILITY_PORT: '0',
      WEBHOOK_PORT: service === 'connector-qms' ? String(this.webhookPort) : '0',
      WEBHOOK_HOST: '127.0.0.1',
      RETRY_DELAYS_MS: this.retry.delaysMs,
      RETRY_MAX_ATTEMPTS: this.retry.maxAttempts,
    });
    this.children.set(service, { kill: (signal) => run.child.kill(signal), exited: run.exited });
    await eventually(
      () => run.output().stdout.includes('threadline serving') || run.child.exitCode !== null,
      `${service} serving`,
      60_000,
    );
    if (run.child.exitCode !== null) {
      throw new Error(`${service} exited ${run.child.exitCode}: ${run.output().stderr}`);
    }
  }

  /** Kills one service's process (SIGKILL: no draining, no goodbye). */
  async kill(service: PlantServiceName): Promise<void> {
    const child = this.children.get(service)!;
    child.kill('SIGKILL');
    await child.exited;
    this.children.delete(service);
  }

  sim(method: string, path: string, body?: unknown): Promise<unknown> {
    return simulatorCall(this.simUrl, method, path, body);
  }

  async state(): Promise<SimulatorState> {
    return (await this.sim('GET', '/_sim/state')) as SimulatorState;
  }

  async flow(subject: string): Promise<FlowInstance | null> {
    return this.dataSource.manager.findOne(FlowInstance, {
      where: { type: 'ncr-containment', subject },
    });
  }

  /** Waits until the containment flow of `subject` is at `step` (null: ended) in `state`. */
  async flowAt(subject: string, step: string | null, state: string, timeoutMs = 30_000) {
    await eventually(
      async () => {
        const flow = await this.flow(subject);
        return flow?.currentStep === step && flow.state === state;
      },
      `flow ${subject} at ${step ?? 'its end'}, ${state}`,
      timeoutMs,
    );
  }

  async steps(subject: string, state?: string): Promise<FlowStep[]> {
    const flow = await this.flow(subject);
    return this.dataSource.manager.find(FlowStep, {
      where: { flowId: flow!.id, ...(state ? { state } : {}) },
      order: { seq: 'ASC' },
    });
  }

  async close(): Promise<void> {
    const children = [...this.children.values()].reverse();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => child.exited));
    await this.dataSource?.destroy();
    await this.vhost.drop();
    await this.database.drop();
    rmSync(this.workspace, { recursive: true, force: true });
  }
}

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
