import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { CONNECTOR_CMMS_SERVICE } from '@threadline/app-connector-cmms';
import { CONNECTOR_ERP_SERVICE } from '@threadline/app-connector-erp';
import { CONNECTOR_MES_SERVICE } from '@threadline/app-connector-mes';
import { CONNECTOR_QMS_SERVICE } from '@threadline/app-connector-qms';
import { ORCHESTRATOR_SERVICE, OrchestratorLifecycle } from '@threadline/app-orchestrator';
import { TRACEABILITY_SERVICE } from '@threadline/app-traceability';
import { ConnectorHost } from '@threadline/connector-sdk';
import {
  MessagingRuntime,
  startService,
  type RetryPolicy,
  type ServiceDefinition,
} from '@threadline/messaging';
import { MetricsRegistry, createLogger } from '@threadline/observability';
import { FlowInstance, FlowStep } from '@threadline/persistence';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  type TestDatabase,
  type TestVhost,
} from '@threadline/testing';
import {
  startPlantSimulator,
  type PlantSimulator,
} from '../../apps/plant-simulator/src/plant-simulator';
import type { SimulatorState } from '../../apps/plant-simulator/src/state/simulator-state';
import { simulatorCall } from './simulator-call';

export type PlantStack = 'rabbitmq+postgres' | 'in-memory+sqlite';

const WEBHOOK_SECRET = 'plant-test-webhook-secret';
const EXAMPLES = join(__dirname, '..', '..', 'connectors');
const WEBHOOK_PATH = '/webhooks/qms/nonconformances';

/** Short deadlines, and the simulator's assets on its lines. */
export const TEST_ORCHESTRATOR_CONFIG = `apiVersion: threadline/v1
kind: Orchestrator
timerPollSeconds: 0.2
defaults:
  containment:
    minSeverity: major
    retries: 1
    timeoutsSeconds: { hold: 3, workOrder: 5, lineStop: 5, release: 5 }
  incomingInspection:
    materials: [MAT-100]
    timeoutsSeconds: { hold: 5, inspectionLot: 5, release: 5 }
  maintenance:
    downtimeMinutes: 0.02
    plannedReasons: [PLANNED]
  assetLines:
    PRESS-01: LINE-1
    WELD-02: LINE-2
`;

/** Every service of the plant, in start order. */
export const PLANT_SERVICES: readonly ServiceDefinition[] = [
  CONNECTOR_ERP_SERVICE,
  CONNECTOR_MES_SERVICE,
  CONNECTOR_QMS_SERVICE,
  CONNECTOR_CMMS_SERVICE,
  TRACEABILITY_SERVICE,
  ORCHESTRATOR_SERVICE,
];

export interface FlowView {
  readonly flow: FlowInstance;
  readonly steps: FlowStep[];
}

/**
 * A plant: the simulator, the four business connectors, traceability and the orchestrator, as
 * production runs them (their own queues on one runtime), on RabbitMQ and PostgreSQL or on the
 * embedded default. Connector polls run every second.
 */
export class PlantHarness {
  private constructor(
    readonly simulator: PlantSimulator,
    readonly runtime: MessagingRuntime,
    readonly apps: Map<string, INestMicroservice>,
    private readonly directory: string,
    private readonly vhost: TestVhost | undefined,
    private readonly database: TestDatabase | undefined,
  ) {}

  static async start(
    stack: PlantStack,
    options: {
      orchestratorConfig?: string;
      services?: readonly ServiceDefinition[];
      retryPolicy?: RetryPolicy;
    } = {},
  ): Promise<PlantHarness> {
    const simulator = await startPlantSimulator({
      port: 0,
      webhookSecret: WEBHOOK_SECRET,
      webhook: { maxAttempts: 5, retryDelayMs: 200, timeoutMs: 5_000 },
    });
    const directory = mkdtempSync(join(tmpdir(), 'threadline-plant-'));
    const connectors = join(directory, 'connectors');
    cpSync(EXAMPLES, connectors, { recursive: true });
    for (const file of readdirSync(connectors).filter((name) => name.endsWith('.yaml'))) {
      const path = join(connectors, file);
      writeFileSync(
        path,
        readFileSync(path, 'utf8').replace(/intervalSeconds: \d+/g, 'intervalSeconds: 1'),
      );
    }
    writeFileSync(
      join(directory, 'orchestrator.yaml'),
      options.orchestratorConfig ?? TEST_ORCHESTRATOR_CONFIG,
    );
    Object.assign(process.env, {
      SIM_URL: simulator.url,
      CONNECTORS_DIR: connectors,
      ERP_PASSWORD: 'erp-test-password',
      MES_TOKEN: 'mes-test-token',
      QMS_API_KEY: 'qms-test-key',
      QMS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      CMMS_TOKEN: 'cmms-test-token',
      WEBHOOK_PORT: '0',
      WEBHOOK_HOST: '127.0.0.1',
      ORCHESTRATOR_CONFIG: join(directory, 'orchestrator.yaml'),
      TRACEABILITY_CONFIG: join(__dirname, '..', '..', 'config', 'traceability.yaml'),
      TRACEABILITY_PORT: '0',
      TRACEABILITY_HOST: '127.0.0.1',
    });
    let vhost: TestVhost | undefined;
    let database: TestDatabase | undefined;
    if (stack === 'rabbitmq+postgres') {
      vhost = await createTestVhost('plant');
      database = await createTestDatabase('threadline_plant');
    }
    const runtime = await MessagingRuntime.create({
      amqpUrl: vhost?.url,
      database: database
        ? { url: database.url, poolSize: 24 }
        : { sqlitePath: join(directory, 'plant.sqlite') },
      logger: createLogger({ service: 'plant', level: 'silent' }),
      metrics: new MetricsRegistry({ collectProcessMetrics: false }),
      retryPolicy: options.retryPolicy ?? { delaysMs: [300, 1_000], maxAttempts: 4 },
      connectionName: 'plant-test',
    });
    await runtime.start();
    const harness = new PlantHarness(simulator, runtime, new Map(), directory, vhost, database);
    for (const service of options.services ?? PLANT_SERVICES) await harness.startService(service);
    const qms = harness.apps.get(CONNECTOR_QMS_SERVICE.name);
    if (!qms) return harness;
    const ingress = qms.get(ConnectorHost).webhookUrl!;
    for (const path of [WEBHOOK_PATH, `${WEBHOOK_PATH}/dispositioned`, `${WEBHOOK_PATH}/closed`]) {
      await harness.sim('POST', '/_sim/qms/webhooks', { url: `${ingress}${path}` });
    }
    return harness;
  }

  async startService(service: ServiceDefinition): Promise<void> {
    this.apps.set(service.name, await startService(service, this.runtime));
  }

  async stopService(name: string): Promise<void> {
    await this.apps.get(name)?.close();
    this.apps.delete(name);
  }

  get orchestrator(): OrchestratorLifecycle {
    return this.apps.get(ORCHESTRATOR_SERVICE.name)!.get(OrchestratorLifecycle);
  }

  /** Publishes events as a connector would: outbox, relay, the events exchange. */
  publish(...events: CloudEventEnvelope[]): Promise<void> {
    return this.runtime.publisher.publish(...events);
  }

  /** Messages of one type put in the outbox (by any service of this plant), oldest first. */
  async published(type: string): Promise<CloudEventEnvelope[]> {
    const p = this.runtime.dataSource.options.type === 'postgres' ? '$1' : '?';
    const rows: { body: string }[] = await this.runtime.dataSource.query(
      `SELECT body FROM outbox WHERE routing_key = ${p} ORDER BY id`,
      [type],
    );
    return rows.map((row) => JSON.parse(row.body) as CloudEventEnvelope);
  }

  async flows(type: string): Promise<FlowInstance[]> {
    return this.runtime.dataSource.manager.find(FlowInstance, {
      where: { type },
      order: { startedAt: 'ASC' },
    });
  }

  async flow(type: string, subject: string): Promise<FlowView | undefined> {
    const flow = await this.runtime.dataSource.manager.findOne(FlowInstance, {
      where: { type, subject },
    });
    if (!flow) return undefined;
    const steps = await this.runtime.dataSource.manager.find(FlowStep, {
      where: { flowId: flow.id },
      order: { seq: 'ASC' },
    });
    return { flow, steps };
  }

  /** Waits until the flow exists and `check` holds for it; answers it. */
  async flowWhen(
    type: string,
    subject: string,
    check: (view: FlowView) => boolean,
    what: string,
    timeoutMs = 30_000,
  ): Promise<FlowView> {
    let view: FlowView | undefined;
    await eventually(
      async () => {
        view = await this.flow(type, subject);
        return view !== undefined && check(view);
      },
      `${type} ${subject}: ${what}`,
      timeoutMs,
    );
    return view!;
  }

  /** The simulator's state (ERP holds, MES lines, CMMS work orders, QMS records). */
  async state(): Promise<SimulatorState> {
    return (await this.sim('GET', '/_sim/state')) as SimulatorState;
  }

  /** Drives the simulator's control API (`/_sim/...`). */
  sim(method: string, path: string, body?: unknown): Promise<unknown> {
    return simulatorCall(this.simulator.url, method, path, body);
  }

  async close(): Promise<void> {
    for (const app of [...this.apps.values()].reverse()) await app.close().catch(() => undefined);
    await this.runtime.stop();
    await this.simulator.close();
    await this.vhost?.drop();
    await this.database?.drop();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
