import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { TRACEABILITY_SERVICE, TraceabilityLifecycle } from '@threadline/app-traceability';
import { MessagingRuntime, startService } from '@threadline/messaging';
import { MetricsRegistry, createLogger } from '@threadline/observability';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  type TestDatabase,
  type TestVhost,
} from '@threadline/testing';
import { GenealogyQueries } from '@threadline/traceability';

export type TraceabilityStack = 'rabbitmq+postgres' | 'in-memory+sqlite';

/** Gap windows of 10 minutes and inspection required for RESIN, for rule tests. */
export const TEST_TRACEABILITY_CONFIG = `apiVersion: threadline/v1
kind: Traceability
gapSweepSeconds: 3600
defaults:
  holdPropagation: true
  inspectionRequired: [RESIN]
  gapWindowsMinutes:
    outputWithoutConsumption: 10
    consumptionOfUnknownLot: 10
    receiptWithoutInspection: 10
    outputWithoutParent: 10
plants:
  P02:
    holdPropagation: false
`;

/**
 * The traceability service as production runs it: on RabbitMQ (a vhost of its own) and
 * PostgreSQL (a database of its own), or on the embedded default (in-memory broker, SQLite).
 * Events go in through the outbox and the events exchange; the query API listens on a free port.
 */
export class TraceabilityHarness {
  private constructor(
    readonly runtime: MessagingRuntime,
    readonly app: INestMicroservice,
    readonly queries: GenealogyQueries,
    readonly apiUrl: string,
    /** PostgreSQL URL, or the SQLite file path on the embedded stack (for the CLI). */
    readonly databaseEnv: Record<string, string>,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async start(stack: TraceabilityStack): Promise<TraceabilityHarness> {
    const directory = mkdtempSync(join(tmpdir(), 'threadline-trace-'));
    writeFileSync(join(directory, 'traceability.yaml'), TEST_TRACEABILITY_CONFIG);
    Object.assign(process.env, {
      TRACEABILITY_CONFIG: join(directory, 'traceability.yaml'),
      TRACEABILITY_PORT: '0',
      TRACEABILITY_HOST: '127.0.0.1',
    });
    let vhost: TestVhost | undefined;
    let database: TestDatabase | undefined;
    if (stack === 'rabbitmq+postgres') {
      vhost = await createTestVhost('traceability');
      database = await createTestDatabase('threadline_traceability');
    }
    const runtime = await MessagingRuntime.create({
      amqpUrl: vhost?.url,
      database: database ? { url: database.url } : { sqlitePath: join(directory, 'trace.sqlite') },
      logger: createLogger({ service: 'traceability', level: 'silent' }),
      metrics: new MetricsRegistry({ collectProcessMetrics: false }),
      retryPolicy: { delaysMs: [200, 1_000], maxAttempts: 4 },
      connectionName: 'traceability-test',
    });
    await runtime.start();
    const app = await startService(TRACEABILITY_SERVICE, runtime);
    const apiUrl = (await app.get(TraceabilityLifecycle).url()).replace('[::1]', '127.0.0.1');
    return new TraceabilityHarness(
      runtime,
      app,
      new GenealogyQueries(runtime.dataSource),
      apiUrl,
      database
        ? { DATABASE_URL: database.url }
        : { THREADLINE_SQLITE_PATH: join(directory, 'trace.sqlite') },
      async () => {
        await app.close().catch(() => undefined);
        await runtime.stop();
        await vhost?.drop();
        await database?.drop();
        rmSync(directory, { recursive: true, force: true });
      },
    );
  }

  get metrics(): MetricsRegistry {
    return this.runtime.metrics!;
  }

  get lifecycle(): TraceabilityLifecycle {
    return this.app.get(TraceabilityLifecycle);
  }

  /** Publishes events one by one, in order, and waits until the service has applied each. */
  async apply(...events: CloudEventEnvelope[]): Promise<void> {
    for (const event of events) await this.runtime.publisher.publish(event);
    const keys = [...new Set(events.map((event) => event.idempotencykey))];
    await eventually(
      async () => (await this.applied(keys)) === keys.length,
      `${keys.length} events applied`,
    );
  }

  /** Messages of one type the service put in its outbox (gap events, hold commands). */
  async published(type: string): Promise<CloudEventEnvelope[]> {
    const p = this.runtime.dataSource.options.type === 'postgres' ? '$1' : '?';
    const rows: { body: string }[] = await this.runtime.dataSource.query(
      `SELECT body FROM outbox WHERE routing_key = ${p} ORDER BY id`,
      [type],
    );
    return rows.map((row) => JSON.parse(row.body) as CloudEventEnvelope);
  }

  async get(path: string): Promise<{ status: number; type: string; body: string }> {
    const response = await fetch(`${this.apiUrl}${path}`);
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: Buffer.from(await response.arrayBuffer()).toString('latin1'),
    };
  }

  async getJson<T = unknown>(path: string): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.apiUrl}${path}`);
    return { status: response.status, body: (await response.json()) as T };
  }

  close(): Promise<void> {
    return this.cleanup();
  }

  private async applied(keys: readonly string[]): Promise<number> {
    const postgres = this.runtime.dataSource.options.type === 'postgres';
    const list = keys.map((_, i) => (postgres ? `$${i + 1}` : '?')).join(', ');
    const rows: { n: number | string }[] = await this.runtime.dataSource.query(
      `SELECT COUNT(DISTINCT idempotency_key) AS n FROM inbox WHERE idempotency_key IN (${list})`,
      [...keys],
    );
    return Number(rows[0].n);
  }
}
