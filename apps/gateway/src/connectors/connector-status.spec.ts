import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorRegistry, restConnector } from '@threadline/connector-sdk';
import { gatewaySettings } from '../gateway.options';
import { ConnectorStatus } from './connector-status';

/** A generic REST ERP connector with basic auth, its password from the environment. */
const ERP_YAML = `apiVersion: threadline/v1
kind: Connector
metadata:
  name: erp-test
  plant: P01
spec:
  system: erp
  adapter: unit-rest
  target:
    baseUrl: \${TARGET_URL}/erp
    probePath: /ping
    timeoutMs: 5000
    auth:
      type: basic
      username: svc
      password: \${ERP_PASSWORD}
`;

describe('connector status', () => {
  const directory = mkdtempSync(join(tmpdir(), 'gateway-connectors-'));
  const registry = new ConnectorRegistry([
    restConnector({
      system: 'erp',
      adapter: 'unit-rest',
      description: 'unit test',
      probePath: '/',
      commands: {},
      events: [],
      paging: {
        cursorParam: 'since',
        limitParam: 'limit',
        itemsField: 'items',
        nextCursorField: 'nextCursor',
        hasMoreField: 'hasMore',
      },
    }),
  ]);
  let server: Server;
  let status = 200;
  const seen: string[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(`${request.url} ${request.headers.authorization ?? ''}`);
      response.writeHead(status).end('{}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    env = {
      TARGET_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ERP_PASSWORD: 's3cret-pw-81f',
    };
    writeFileSync(join(directory, 'erp.yaml'), ERP_YAML);
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    rmSync(directory, { recursive: true, force: true });
  });

  it('probes once per cache period, with the credentials, and shows no secret', async () => {
    let now = 1_000_000;
    const settings = { ...gatewaySettings({ CONNECTORS_DIR: directory }), probeCacheMs: 10_000 };
    const connectors = new ConnectorStatus(registry, settings, env, () => now);
    seen.length = 0;
    const first = await connectors.list();
    expect(first.problems).toEqual([]);
    expect(first.connectors).toEqual([
      {
        name: 'erp-test',
        plant: 'P01',
        system: 'erp',
        adapter: 'unit-rest',
        description: null,
        file: join(directory, 'erp.yaml'),
        targets: [{ kind: 'http', name: 'target', url: `${env.TARGET_URL}/erp` }],
        health: {
          state: 'up',
          probe: `${env.TARGET_URL}/erp/ping`,
          status: 200,
          latencyMs: expect.any(Number),
          error: null,
          checkedAt: new Date(now).toISOString(),
        },
      },
    ]);
    expect(seen).toEqual([
      `/erp/ping Basic ${Buffer.from('svc:s3cret-pw-81f').toString('base64')}`,
    ]);
    expect(JSON.stringify(first)).not.toContain('s3cret-pw-81f');

    status = 503;
    now += 9_999;
    const cached = await connectors.list();
    expect(cached.connectors[0].health.state).toBe('up');
    expect(seen).toHaveLength(1);

    now += 2;
    const fresh = await connectors.list();
    expect(fresh.connectors[0].health).toMatchObject({ state: 'down', status: 503 });
    expect(seen).toHaveLength(2);
    status = 200;
  });

  it('shares one probe between concurrent requests', async () => {
    const settings = gatewaySettings({ CONNECTORS_DIR: directory });
    const connectors = new ConnectorStatus(registry, settings, env);
    seen.length = 0;
    await Promise.all([connectors.list(), connectors.list(), connectors.list()]);
    expect(seen).toHaveLength(1);
  });

  it('reports a directory it cannot read as a problem', async () => {
    const settings = gatewaySettings({ CONNECTORS_DIR: join(directory, 'missing') });
    const connectors = new ConnectorStatus(registry, settings, env);
    expect(await connectors.list()).toEqual({
      connectors: [],
      problems: [`${join(directory, 'missing')}: cannot be read`],
    });
  });
});
