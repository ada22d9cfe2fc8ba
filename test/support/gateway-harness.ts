import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { GatewayLifecycle, gatewayService } from '@threadline/app-gateway';
import { MessagingRuntime, startService } from '@threadline/messaging';
import { MetricsRegistry, createLogger } from '@threadline/observability';
import { ROLES, signTestToken } from '@threadline/security';
import {
  ConformanceModule,
  EFFECTS_TABLE_SQL,
  createTestDatabase,
  createTestVhost,
  type TestDatabase,
  type TestVhost,
} from '@threadline/testing';
import { CONNECTOR_REGISTRY } from '../../apps/threadline/src/services/connector-registry';
import { EVENT_LOG_SERVICE } from '../../apps/threadline/src/services/event-log/event-log.module';

export type GatewayStack = 'rabbitmq+postgres' | 'in-memory+sqlite';

/** The gateway's authentication in the tests: an HS256 secret, issuer and audience of their own. */
export const TEST_AUTH = {
  AUTH_JWT_SECRET: 'gateway-test-secret-7d1e-0123456789abcdef',
  AUTH_ISSUER: 'threadline-test',
  AUTH_AUDIENCE: 'threadline-api-test',
};

/** A token the test gateway accepts (unless `over` says otherwise): sub, roles, expiry ... */
export function testToken(
  roles: readonly string[],
  over: Partial<Parameters<typeof signTestToken>[0]> = {},
): Promise<string> {
  return signTestToken({
    secret: TEST_AUTH.AUTH_JWT_SECRET,
    issuer: TEST_AUTH.AUTH_ISSUER,
    audience: TEST_AUTH.AUTH_AUDIENCE,
    sub: 'gateway-test',
    roles,
    ...over,
  });
}

function withAuth(headers: Record<string, string>, bearer: string): Record<string, string> {
  const names = Object.keys(headers).map((name) => name.toLowerCase());
  return names.includes('authorization') || names.includes('x-api-key')
    ? headers
    : { authorization: `Bearer ${bearer}`, ...headers };
}

/** Secrets the connector files interpolate; none may appear in an answer. */
export const CONNECTOR_SECRETS = {
  ERP_PASSWORD: 'erp-password-7f3a',
  MES_TOKEN: 'mes-token-91c2',
  QMS_API_KEY: 'qms-api-key-55d0',
  QMS_WEBHOOK_SECRET: 'qms-webhook-secret-0b8e',
  CMMS_TOKEN: 'cmms-token-c4e6',
};

/** The plant's targets: MES answers its probe with 503, every other one with 200. */
async function startTargets(): Promise<{ url: string; probes: string[]; close(): Promise<void> }> {
  const probes: string[] = [];
  const server: Server = createServer((request, response) => {
    probes.push(request.url ?? '');
    const status = request.url?.startsWith('/mes/') ? 503 : 200;
    response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    probes,
    close: () =>
      new Promise((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}

/**
 * The gateway as production runs it, beside the event log and a service whose failures
 * dead-letter (the conformance service `failing`): on RabbitMQ (a vhost of its own) and
 * PostgreSQL (a database of its own), or on the embedded default (in-memory broker, SQLite).
 * The connector files are the repository's, with the targets on a local server.
 */
export class GatewayHarness {
  static readonly FAILING_SERVICE = 'gw-failing';

  private constructor(
    readonly runtime: MessagingRuntime,
    readonly url: string,
    readonly targetProbes: string[],
    private readonly cleanup: () => Promise<void>,
    /** A token with every role, sent by get and post unless they are given a credential. */
    readonly bearer: string,
    /** Every route of the running gateway, `METHOD /path`, from Nest's route metadata. */
    readonly routes: readonly string[],
    /** The PostgreSQL database (undefined on the embedded default). */
    readonly databaseUrl: string | undefined,
  ) {}

  /** `env` overrides the test environment (e.g. AUTH_FAILURE_LIMIT). */
  static async start(
    stack: GatewayStack,
    env: Record<string, string> = {},
  ): Promise<GatewayHarness> {
    const directory = mkdtempSync(join(tmpdir(), 'threadline-gateway-'));
    const connectors = join(directory, 'connectors');
    cpSync(resolve(__dirname, '../../connectors'), connectors, { recursive: true });
    writeFileSync(
      join(connectors, 'broken.yaml'),
      'apiVersion: threadline/v1\nkind: Connector\nmetadata:\n  name: broken\nspec:\n  system: erp\n',
    );
    const targets = await startTargets();
    Object.assign(process.env, CONNECTOR_SECRETS, {
      SIM_URL: targets.url,
      CONNECTORS_DIR: connectors,
      PORT: '0',
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PROBE_TIMEOUT_MS: '1000',
      GATEWAY_PROBE_CACHE_MS: '60000',
      ...TEST_AUTH,
      AUTH_FAILURE_LIMIT: '100000',
      METRICS_REQUIRE_AUTH: 'false',
      ...env,
    });
    let vhost: TestVhost | undefined;
    let database: TestDatabase | undefined;
    if (stack === 'rabbitmq+postgres') {
      vhost = await createTestVhost('gateway');
      database = await createTestDatabase('threadline_gateway');
    }
    const runtime = await MessagingRuntime.create({
      amqpUrl: vhost?.url,
      database: database
        ? { url: database.url }
        : { sqlitePath: join(directory, 'gateway.sqlite') },
      logger: createLogger({ service: 'gateway', level: 'silent' }),
      metrics: new MetricsRegistry({ collectProcessMetrics: false }),
      retryPolicy: { delaysMs: [50], maxAttempts: 2 },
      connectionName: 'gateway-test',
    });
    await runtime.dataSource.query(EFFECTS_TABLE_SQL);
    await runtime.start();
    const apps: INestMicroservice[] = [];
    apps.push(await startService(EVENT_LOG_SERVICE, runtime));
    apps.push(
      await startService(
        { name: GatewayHarness.FAILING_SERVICE, module: ConformanceModule, description: 'test' },
        runtime,
      ),
    );
    const gateway = await startService(
      gatewayService({
        services: ['event-log', GatewayHarness.FAILING_SERVICE],
        connectors: CONNECTOR_REGISTRY,
      }),
      runtime,
    );
    apps.push(gateway);
    const lifecycle = gateway.get(GatewayLifecycle);
    const url = (await lifecycle.url()).replace('[::1]', '127.0.0.1');
    const routes = lifecycle.routes();
    const bearer = await testToken(ROLES);
    return new GatewayHarness(
      runtime,
      url,
      targets.probes,
      async () => {
        for (const app of apps.reverse()) await app.close().catch(() => undefined);
        await runtime.stop();
        await targets.close();
        await vhost?.drop();
        await database?.drop();
        rmSync(directory, { recursive: true, force: true });
      },
      bearer,
      routes,
      database?.url,
    );
  }

  /** A GET with the all-roles token, unless `headers` carry a credential of their own. */
  async get<T = unknown>(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; type: string; body: T; text: string }> {
    const response = await fetch(`${this.url}${path}`, {
      headers: withAuth(headers, this.bearer),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      text,
      body: (type.includes('json') ? JSON.parse(text) : text) as T,
    };
  }

  async post<T = unknown>(
    path: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      body,
      headers: withAuth({ 'content-type': 'application/json', ...headers }, this.bearer),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Any request, exactly as given (no credential added): for the authentication tests. */
  async request(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: number; headers: Headers; text: string; body: unknown }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: init.headers,
      body: init.body,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (metrics, the Swagger UI)
    }
    return { status: response.status, headers: response.headers, text, body };
  }

  close(): Promise<void> {
    return this.cleanup();
  }
}
