import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signWebhook } from '@threadline/security';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  type TestDatabase,
  type TestVhost,
} from '@threadline/testing';
import { Client } from 'pg';
import {
  startPlantSimulator,
  type PlantSimulator,
} from '../../apps/plant-simulator/src/plant-simulator';
import { serveProcess } from '../support/serve-process';

const root = join(__dirname, '..', '..');

/**
 * Known secrets in the environment of a whole plant served as one process on RabbitMQ (its own
 * vhost and user) and PostgreSQL, at LOG_LEVEL=debug; traffic with failures (a forged and a stale
 * webhook, an ERP outage while the orchestrator asks for a hold, bad tokens and API keys at the
 * gateway, a malformed query); then neither stdout nor stderr may contain any secret, and the
 * configuration files are in the audit log by hash only.
 */
const SECRETS = {
  ERP_PASSWORD: 'erp-pw-e2e-S3cr3t-7781',
  MES_TOKEN: 'mes-token-e2e-S3cr3t-1190',
  QMS_API_KEY: 'qms-key-e2e-S3cr3t-5521',
  QMS_WEBHOOK_SECRET: 'qms-webhook-e2e-S3cr3t-3371',
  CMMS_TOKEN: 'cmms-token-e2e-S3cr3t-8842',
  AUTH_JWT_SECRET: 'jwt-e2e-S3cr3t-0f4c2b9d7e1a5f3c8b6d0e2a4c6e8f1b',
};
const DATABASE_PASSWORD = 'db-pw-e2e-S3cr3t-6403';
const AMQP_PASSWORD = 'amqp-pw-e2e-S3cr3t-2287';
/** A credential a client presents (a wrong API key): not logged either. */
const PRESENTED_API_KEY = 'tl_presented-key-S3cr3t-9012';
const SERVICES = [
  'event-log',
  'connector-erp',
  'connector-mes',
  'connector-qms',
  'connector-cmms',
  'traceability',
  'orchestrator',
  'gateway',
];

async function sql<T>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('no secret in the logs of a served plant (RabbitMQ + PostgreSQL, LOG_LEVEL=debug)', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-secrets-'));
  const connectors = join(workspace, 'connectors');
  const amqpUser = `tl-secrets-${process.pid}`;
  let simulator: PlantSimulator;
  let database: TestDatabase;
  let vhost: TestVhost;

  beforeAll(async () => {
    cpSync(join(root, 'connectors'), connectors, { recursive: true });
    for (const file of ['erp-sap.yaml', 'mes.yaml', 'qms.yaml', 'cmms.yaml']) {
      const path = join(connectors, file);
      writeFileSync(
        path,
        readFileSync(path, 'utf8').replace(/intervalSeconds: \d+/g, 'intervalSeconds: 1'),
      );
    }
    simulator = await startPlantSimulator({
      port: 0,
      webhookSecret: SECRETS.QMS_WEBHOOK_SECRET,
      webhook: { maxAttempts: 3, retryDelayMs: 200, timeoutMs: 5_000 },
    });
    database = await createTestDatabase('threadline_secrets');
    vhost = await createTestVhost('secrets');
    execFileSync('rabbitmqctl', ['-q', 'add_user', amqpUser, AMQP_PASSWORD]);
    execFileSync('rabbitmqctl', [
      '-q',
      'set_permissions',
      '-p',
      vhost.name,
      amqpUser,
      '.*',
      '.*',
      '.*',
    ]);
  });

  afterAll(async () => {
    await simulator?.close();
    execFileSync('rabbitmqctl', ['-q', 'delete_user', amqpUser]);
    await vhost?.drop();
    await database?.drop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('serves, takes good and bad traffic, and never writes a secret to stdout or stderr', async () => {
    const [webhookPort, gatewayPort, traceabilityPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const amqpUrl = new URL(vhost.url);
    amqpUrl.username = amqpUser;
    amqpUrl.password = AMQP_PASSWORD;
    const run = serveProcess(SERVICES, {
      ...SECRETS,
      AMQP_URL: amqpUrl.toString(),
      DATABASE_URL: database.url.replace('postgres@', `postgres:${DATABASE_PASSWORD}@`),
      LOG_LEVEL: 'debug',
      SIM_URL: simulator.url,
      CONNECTORS_DIR: connectors,
      METRICS_PORT: '0',
      WEBHOOK_PORT: String(webhookPort),
      WEBHOOK_HOST: '127.0.0.1',
      PORT: String(gatewayPort),
      TRACEABILITY_PORT: String(traceabilityPort),
    });
    const gateway = `http://127.0.0.1:${gatewayPort}`;
    const webhooks = `http://127.0.0.1:${webhookPort}/webhooks/qms/nonconformances`;
    let exitCode: number | null = null;
    try {
      await eventually(
        () => /threadline serving/.test(run.output().stdout) || run.child.exitCode !== null,
        'serving',
        90_000,
        200,
      );
      expect(run.child.exitCode).toBeNull();

      // A signed NC from the QMS simulator (webhook) starts a containment flow, while the ERP is
      // down: the hold command fails and is retried, with errors logged at every level.
      await fetch(`${simulator.url}/_sim/faults/erp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outage: true }),
      });
      for (const path of ['', '/dispositioned']) {
        await fetch(`${simulator.url}/_sim/qms/webhooks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ url: `${webhooks}${path}` }),
        });
      }
      await fetch(`${simulator.url}/_sim/qms/nonconformances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ affected_lots: ['LOT-SECRETS-1'], severity_level: 'MAJOR' }),
      });
      await eventually(
        async () =>
          Number(
            (
              await sql<{ n: string }>(
                database.url,
                `SELECT count(*) AS n FROM audit_entry WHERE action = 'hold.requested'`,
              )
            )[0]?.n ?? 0,
          ) > 0,
        'the orchestrator asked for a hold',
        60_000,
        300,
      );

      // Forged and stale webhooks: refused (401), and logged without the secret.
      const body = JSON.stringify({ id: 'wh-forged', event: 'nonconformance.raised', data: {} });
      const now = Math.floor(Date.now() / 1000);
      for (const [secret, timestamp] of [
        ['not-the-secret', now],
        [SECRETS.QMS_WEBHOOK_SECRET, now - 3_600],
      ] as const) {
        const response = await fetch(webhooks, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-threadline-timestamp': String(timestamp),
            'x-threadline-signature': signWebhook({ rawBody: body, secret, timestamp }),
          },
          body,
        });
        expect(response.status).toBeGreaterThanOrEqual(400);
      }

      // The gateway: no token, a token signed with another secret, a wrong API key, a bad query.
      const forged = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"sub":"mallory","roles":["auditor"]}').toString('base64url')}.c2lnbmF0dXJl`;
      const statuses: number[] = [];
      for (const headers of [
        {},
        { authorization: `Bearer ${forged}` },
        { 'x-api-key': PRESENTED_API_KEY },
      ] as Record<string, string>[]) {
        statuses.push((await fetch(`${gateway}/api/v1/flows?limit=5`, { headers })).status);
      }
      expect(statuses).toEqual([401, 401, 401]);
      await fetch(`${gateway}/api/v1/flows?limit=-1&password=${SECRETS.ERP_PASSWORD.length}`);
      await fetch(`${simulator.url}/_sim/faults/erp`, { method: 'DELETE' });
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      // What the services started with is in the audit log, by hash only.
      const loaded = await sql<{ subject: string; detail: { service: string; sha256: string } }>(
        database.url,
        `SELECT subject, detail FROM audit_entry WHERE action = 'config.loaded' ORDER BY seq`,
      );
      const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
      expect(loaded).toEqual(
        expect.arrayContaining([
          {
            subject: join(connectors, 'erp-sap.yaml'),
            detail: { service: 'connector-erp', sha256: sha(join(connectors, 'erp-sap.yaml')) },
          },
          {
            subject: join(connectors, 'qms.yaml'),
            detail: { service: 'connector-qms', sha256: sha(join(connectors, 'qms.yaml')) },
          },
          {
            subject: 'config/orchestrator.yaml',
            detail: {
              service: 'orchestrator',
              sha256: sha(join(root, 'config/orchestrator.yaml')),
            },
          },
          {
            subject: 'config/traceability.yaml',
            detail: {
              service: 'traceability',
              sha256: sha(join(root, 'config/traceability.yaml')),
            },
          },
        ]),
      );
      const auditText = JSON.stringify(await sql(database.url, 'SELECT * FROM audit_entry'));
      for (const secret of [...Object.values(SECRETS), DATABASE_PASSWORD, AMQP_PASSWORD]) {
        expect(auditText).not.toContain(secret);
      }
    } finally {
      run.child.kill('SIGTERM');
      exitCode = await run.exited;
    }
    const { stdout, stderr } = run.output();
    // The run did produce logs, failures included, for the search to mean something.
    expect(stdout).toMatch(/"level":"(warn|error)"/);
    expect(stdout).toContain('"msg":"RabbitMQ connected"');
    expect(stdout).toContain('"reason":"signature-mismatch","msg":"webhook request refused"');
    expect(stdout).toContain('"type":"erp.inventory.hold.place"');
    const leaks = [
      ...Object.entries(SECRETS),
      ['DATABASE_URL password', DATABASE_PASSWORD],
      ['AMQP_URL password', AMQP_PASSWORD],
      ['presented API key', PRESENTED_API_KEY],
    ].filter(([, secret]) => stdout.includes(secret) || stderr.includes(secret));
    expect(leaks.map(([name]) => name)).toEqual([]);
    expect(exitCode).toBe(0);
  }, 240_000);
});
