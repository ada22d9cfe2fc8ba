import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { ConnectorHost } from '@threadline/connector-sdk';
import {
  MessagingRuntime,
  consumerQueueNames,
  startService,
  type DeadLetter,
  type RetryPolicy,
  type ServiceDefinition,
} from '@threadline/messaging';
import { MetricsRegistry, createLogger } from '@threadline/observability';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import {
  createTestDatabase,
  createTestVhost,
  type TestDatabase,
  type TestVhost,
} from '@threadline/testing';
import {
  startPlantSimulator,
  type PlantSimulator,
} from '../../apps/plant-simulator/src/plant-simulator';
import { simulatorCall } from './simulator-call';

export const WEBHOOK_SECRET = 'connector-test-webhook-secret';
const EXAMPLES = join(__dirname, '..', '..', 'connectors');

export interface ConnectorHarnessOptions {
  /** The app's service (CONNECTOR_ERP_SERVICE ...), run as in production. */
  service: ServiceDefinition;
  retryPolicy?: RetryPolicy;
  /** Edits the copied example configuration before the service starts (file name -> text). */
  editConfig?: (file: string, text: string) => string;
}

/**
 * One connector service as production runs it, against a real RabbitMQ (a vhost of its own),
 * a PostgreSQL database of its own and a plant simulator: commands go in through the outbox and
 * the commands exchange, answers come back through the outbox.
 */
export class ConnectorHarness {
  app!: INestMicroservice;
  private constructor(
    readonly options: ConnectorHarnessOptions,
    readonly simulator: PlantSimulator,
    readonly runtime: MessagingRuntime,
    readonly metrics: MetricsRegistry,
    readonly configDirectory: string,
    private readonly vhost: TestVhost,
    private readonly database: TestDatabase,
  ) {}

  static async start(options: ConnectorHarnessOptions): Promise<ConnectorHarness> {
    const simulator = await startPlantSimulator({
      port: 0,
      webhookSecret: WEBHOOK_SECRET,
      webhook: { maxAttempts: 3, retryDelayMs: 100, timeoutMs: 5_000 },
    });
    const configDirectory = mkdtempSync(join(tmpdir(), 'threadline-connectors-'));
    cpSync(EXAMPLES, configDirectory, { recursive: true });
    if (options.editConfig) {
      for (const file of ['erp-sap.yaml', 'mes.yaml', 'qms.yaml', 'cmms.yaml']) {
        const path = join(configDirectory, file);
        writeFileSync(path, options.editConfig(file, readText(path)));
      }
    }
    Object.assign(process.env, {
      SIM_URL: simulator.url,
      CONNECTORS_DIR: configDirectory,
      ERP_PASSWORD: 'erp-test-password',
      MES_TOKEN: 'mes-test-token',
      QMS_API_KEY: 'qms-test-key',
      QMS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      CMMS_TOKEN: 'cmms-test-token',
      WEBHOOK_PORT: '0',
      WEBHOOK_HOST: '127.0.0.1',
    });
    const vhost = await createTestVhost(options.service.name);
    const database = await createTestDatabase(
      `threadline_${options.service.name.replace(/-/g, '_')}`,
    );
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    const runtime = await MessagingRuntime.create({
      amqpUrl: vhost.url,
      database: { url: database.url, poolSize: 24 },
      logger: createLogger({ service: options.service.name, level: 'silent' }),
      metrics,
      retryPolicy: options.retryPolicy ?? { delaysMs: [200, 1_000], maxAttempts: 4 },
      connectionName: `${options.service.name}-test`,
    });
    await runtime.start();
    const harness = new ConnectorHarness(
      options,
      simulator,
      runtime,
      metrics,
      configDirectory,
      vhost,
      database,
    );
    await harness.startService();
    return harness;
  }

  get host(): ConnectorHost {
    return this.app.get(ConnectorHost);
  }

  /** Starts the service (again, after `stopService`): same database, same broker. */
  async startService(): Promise<void> {
    this.app = await startService(this.options.service, this.runtime);
  }

  /** Stops the service the way SIGTERM does: consumers drain, polls commit, webhooks close. */
  async stopService(): Promise<void> {
    await this.app.close();
  }

  /** Publishes commands the way the orchestrator does: outbox, relay, commands exchange. */
  send(...commands: CloudEventEnvelope[]): Promise<void> {
    return this.runtime.publisher.publish(...commands);
  }

  /** Events the connector has put in the outbox (published to the bus), of one type. */
  async published(type: string): Promise<CloudEventEnvelope[]> {
    const rows: { body: string }[] = await this.runtime.dataSource.query(
      'SELECT body FROM outbox WHERE routing_key = $1 ORDER BY id',
      [type],
    );
    return rows.map((row) => JSON.parse(row.body) as CloudEventEnvelope);
  }

  deadLetters(purpose: 'commands' | 'ingress'): Promise<DeadLetter[]> {
    const names = consumerQueueNames(
      this.options.service.name,
      purpose,
      this.runtime.retryPolicy.delaysMs,
    );
    return this.runtime.driver.peekDeadLetters(names.deadLetterQueue, 1_000);
  }

  /** Drives the simulator's control API (`/_sim/...`). */
  sim(method: string, path: string, body?: unknown): Promise<unknown> {
    return simulatorCall(this.simulator.url, method, path, body);
  }

  async close(): Promise<void> {
    await this.app?.close().catch(() => undefined);
    await this.runtime.stop();
    await this.simulator.close();
    await this.vhost.drop();
    await this.database.drop();
    rmSync(this.configDirectory, { recursive: true, force: true });
  }
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
