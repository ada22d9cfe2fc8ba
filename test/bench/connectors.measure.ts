import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { buildEnvelope } from '@threadline/contracts';
import {
  MessagingRuntime,
  startService,
  type PipelineObserver,
  type ServiceDefinition,
} from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import {
  createTestDatabase,
  createTestVhost,
  type TestDatabase,
  type TestVhost,
} from '@threadline/testing';
import pino from 'pino';
// A bench may reach into the apps by relative path: it measures the real connector service.
import { CONNECTOR_ERP_SERVICE } from '../../apps/connector-erp/src';
import {
  startPlantSimulator,
  type PlantSimulator,
} from '../../apps/plant-simulator/src/plant-simulator';
import { round, waitUntil } from './bench-support';
import { BENCH_LOTS } from './raw-erp-http.measure';

const EXAMPLES = join(__dirname, '..', '..', 'connectors');
const PUBLISH_CHUNK = 100;
const EXAMPLE_RATE_LIMIT = /rateLimit:\n(\s+)requestsPerSecond: 200\n\s+burst: 50\n/;

export type ConsumerSettings = NonNullable<ServiceDefinition['consumer']>;

export interface ConnectorBenchOptions {
  readonly poolSize: number;
  readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number };
}

export interface ConnectorCaseResult {
  readonly commandsPerSecond: number;
  readonly commands: number;
  readonly seconds: number;
  /** Time in the handler (the ERP calls and mappings), per command. */
  readonly handlerP50Ms: number;
  readonly handlerP99Ms: number;
  /** Settlements other than ack: a run with any is slowed by retry tiers and suspect. */
  readonly retries: number;
  readonly deadLetters: number;
}

interface Tracker {
  marker: string;
  acked: number;
  lastMs: number;
  handlerMs: number[];
  retries: number;
  deadLetters: number;
}

/**
 * connector-erp as production runs it (RabbitMQ vhost and PostgreSQL database of its own, the
 * example configuration, an in-process plant simulator), restartable with other consumer
 * settings. Commands go in through the outbox; a command counts as done when its
 * inventory.hold.placed is committed to the outbox (observed after the commit, checked in SQL).
 */
export class ConnectorBench {
  private app?: INestMicroservice;
  private readonly tracker: Tracker = emptyTracker('none');

  private constructor(
    readonly simulator: PlantSimulator,
    private readonly runtime: MessagingRuntime,
    private readonly configDirectory: string,
    private readonly vhost: TestVhost,
    private readonly database: TestDatabase,
  ) {
    observeSettlements(runtime, this.tracker);
  }

  static async start(options: ConnectorBenchOptions): Promise<ConnectorBench> {
    const simulator = await startPlantSimulator({ port: 0 });
    const configDirectory = mkdtempSync(join(tmpdir(), 'threadline-bench-connectors-'));
    cpSync(EXAMPLES, configDirectory, { recursive: true });
    const configFile = join(configDirectory, 'erp-sap.yaml');
    writeFileSync(configFile, withRateLimit(readFileSync(configFile, 'utf8'), options.rateLimit));
    Object.assign(process.env, {
      SIM_URL: simulator.url,
      CONNECTORS_DIR: configDirectory,
      ERP_PASSWORD: 'erp-test-password',
      WEBHOOK_PORT: '0',
      WEBHOOK_HOST: '127.0.0.1',
    });
    const vhost = await createTestVhost('bench-connector-erp');
    const database = await createTestDatabase('threadline_bench_erp');
    const runtime = await MessagingRuntime.create({
      amqpUrl: vhost.url,
      database: { url: database.url, poolSize: options.poolSize },
      logger: pino({ level: 'silent' }),
      retryPolicy: { delaysMs: [200, 1_000], maxAttempts: 4 },
      connectionName: 'threadline-bench-connectors',
    });
    await runtime.start();
    return new ConnectorBench(simulator, runtime, configDirectory, vhost, database);
  }

  /** (Re)starts connector-erp with these consumer settings; its queues stay. */
  async useConsumer(consumer: ConsumerSettings): Promise<void> {
    await this.app?.close();
    this.app = await startService({ ...CONNECTOR_ERP_SERVICE, consumer }, this.runtime);
  }

  /** Warms up with `warmUp` commands, then measures `commands` from first publish to last answer. */
  async measure(commands: number, warmUp: number): Promise<ConnectorCaseResult> {
    await this.sendAndWait(warmUp);
    const started = performance.timeOrigin + performance.now();
    const ids = await this.sendAndWait(commands);
    const seconds = (this.tracker.lastMs - started) / 1000;
    await this.verify(ids);
    const sorted = [...this.tracker.handlerMs].sort((a, b) => a - b);
    const at = (q: number) =>
      round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
    return {
      commandsPerSecond: round(commands / seconds, 1),
      commands,
      seconds: round(seconds),
      handlerP50Ms: at(0.5),
      handlerP99Ms: at(0.99),
      retries: this.tracker.retries,
      deadLetters: this.tracker.deadLetters,
    };
  }

  async close(): Promise<void> {
    await this.app?.close().catch(() => undefined);
    await this.runtime.stop();
    await this.simulator.close();
    await this.vhost.drop();
    await this.database.drop();
    rmSync(this.configDirectory, { recursive: true, force: true });
  }

  private async sendAndWait(count: number): Promise<string[]> {
    Object.assign(this.tracker, emptyTracker(`bench-${randomUUID().slice(0, 8)}`));
    const ids: string[] = [];
    for (let start = 0; start < count; start += PUBLISH_CHUNK) {
      const chunk = Array.from({ length: Math.min(PUBLISH_CHUNK, count - start) }, (_, i) =>
        holdPlace(this.tracker.marker, start + i),
      );
      await this.runtime.publisher.publish(...chunk);
      ids.push(...chunk.map((command) => command.id));
    }
    await waitUntil(() => this.tracker.acked >= count, `${count} hold answers`, 600_000);
    return ids;
  }

  /** Each command has its answer in the outbox and made exactly one hold on the ERP. */
  private async verify(ids: string[]): Promise<void> {
    const [{ count }] = await this.runtime.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM outbox
        WHERE routing_key = 'inventory.hold.placed' AND (body::jsonb ->> 'causationid') = ANY($1)`,
      [ids],
    );
    const holds = Object.values(this.simulator.state.erp.holds).filter((hold) =>
      hold.ExternalReference.startsWith(`${this.tracker.marker}:`),
    ).length;
    if (count !== ids.length || holds !== ids.length) {
      throw new Error(`${ids.length} commands: ${count} answers in the outbox, ${holds} ERP holds`);
    }
  }
}

function emptyTracker(marker: string): Tracker {
  return { marker, acked: 0, lastMs: 0, handlerMs: [], retries: 0, deadLetters: 0 };
}

function holdPlace(marker: string, sequence: number): CloudEventEnvelope {
  return buildEnvelope({
    type: 'erp.inventory.hold.place',
    data: {
      lotIds: [BENCH_LOTS[sequence % BENCH_LOTS.length]],
      reason: 'nonconformance NC-BENCH',
      ncrId: 'NC-BENCH',
      requestedBy: { id: 'qe-7', kind: 'user' },
    },
    subject: 'NC-BENCH',
    source: { plant: 'PLANT-01', system: 'threadline', connectorId: 'orchestrator' },
    fact: { key: `${marker}:${sequence}` },
  }) as unknown as CloudEventEnvelope;
}

/** The example's 200 rps / burst 50 replaced, so that the limiter is not what is measured. */
function withRateLimit(text: string, limit: ConnectorBenchOptions['rateLimit']): string {
  if (!EXAMPLE_RATE_LIMIT.test(text)) throw new Error('erp-sap.yaml: rateLimit block not found');
  return text.replace(
    EXAMPLE_RATE_LIMIT,
    (_, indent: string) =>
      `rateLimit:\n${indent}requestsPerSecond: ${limit.requestsPerSecond}\n${indent}burst: ${limit.burst}\n`,
  );
}

/** Wraps the runtime's observer: `settled` runs after the command's transaction committed. */
function observeSettlements(runtime: MessagingRuntime, tracker: Tracker): void {
  const original = runtime.pipelineObserver.bind(runtime);
  runtime.pipelineObserver = (serviceName: string): PipelineObserver => {
    const inner = original(serviceName);
    return {
      ...inner,
      settled(message, settlement, handlerSeconds) {
        if (settlement.kind === 'retry') tracker.retries++;
        if (settlement.kind === 'dead-letter') tracker.deadLetters++;
        if (
          settlement.kind === 'ack' &&
          settlement.event.idempotencykey.startsWith(tracker.marker)
        ) {
          tracker.acked++;
          tracker.lastMs = performance.timeOrigin + performance.now();
          if (handlerSeconds !== undefined) tracker.handlerMs.push(handlerSeconds * 1000);
        }
        inner.settled(message, settlement, handlerSeconds);
      },
    };
  };
}
