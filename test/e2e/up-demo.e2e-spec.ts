import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  type TestDatabase,
  type TestVhost,
} from '@threadline/testing';
import { SERVICE_NAMES } from '../../apps/threadline/src/services/service-names';

const root = join(__dirname, '..', '..');

/** The CLI as its own process from the sources, on the embedded default; output collected. */
function cli(args: readonly string[], env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'apps/threadline/src/main.ts', ...args],
    { cwd: root, env: { ...process.env, AMQP_URL: '', DATABASE_URL: '', ...env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

interface SimState {
  erp: { batchStocks: Record<string, { StockStatus: string }>; holds: Record<string, unknown> };
  mes: { lines: Record<string, { state: string }> };
  qms: { webhookUrls: string[] };
  cmms: { workOrders: Record<string, { assetNumber: string; workType: string; status: string }> };
}

/**
 * What a newcomer runs: `npm start` (= `threadline up`) on the embedded default with nothing set
 * up, then `threadline demo` against it. Every port is 0 and the data lives in a temp dir.
 */
describe('threadline up (npm start) and threadline demo, embedded default', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-up-'));
  const dataDir = join(workspace, 'data');
  const up = cli(['up'], {
    PORT: '0',
    SIM_PORT: '0',
    WEBHOOK_PORT: '0',
    METRICS_PORT: '0',
    TRACEABILITY_PORT: '0',
    THREADLINE_SQLITE_PATH: join(dataDir, 'threadline.sqlite'),
    // Nothing set up: no SIM_URL, no connector secrets.
    SIM_URL: '',
    ERP_PASSWORD: '',
    MES_TOKEN: '',
    QMS_API_KEY: '',
    QMS_WEBHOOK_SECRET: '',
    CMMS_TOKEN: '',
    LOG_LEVEL: '',
  });
  let gateway = '';
  let simulator = '';

  afterAll(async () => {
    if (up.child.exitCode === null) up.child.kill('SIGTERM');
    await up.exited;
    rmSync(workspace, { recursive: true, force: true });
  });

  it('starts every service with the simulator wired in and prints where to look', async () => {
    await eventually(
      () => {
        const { stdout, stderr } = up.output();
        if (up.child.exitCode !== null)
          throw new Error(`up exited ${up.child.exitCode}: ${stderr}`);
        const at = (label: string) =>
          new RegExp(`^  ${label} +(http://127\\.0\\.0\\.1:\\d+)`, 'm').exec(stdout)?.[1];
        gateway = at('gateway') ?? '';
        simulator = at('simulator') ?? '';
        return gateway !== '' && simulator !== '';
      },
      'threadline up to print where to look',
      90_000,
      200,
    );
    const { stdout } = up.output();
    expect(stdout).toContain('Threadline is running (embedded: in-memory broker, SQLite)');
    const services = /^ {2}services +(.+)$/m.exec(stdout)?.[1].split(', ') ?? [];
    expect(services.sort()).toEqual(
      SERVICE_NAMES.filter((name) => name !== 'connector-plc').sort(),
    );
    expect(stdout).toContain(`API docs    ${gateway}/docs`);
    expect(stdout).toMatch(/^ {2}metrics +http:\/\/127\.0\.0\.1:\d+\/metrics and /m);
    expect(stdout).toContain(`data        ${dataDir}`);
    expect(stdout).toContain(`demo key    ${join(dataDir, 'demo-api-key')}`);
    // The key itself is never printed.
    expect(`${stdout}${up.output().stderr}`).not.toContain(
      readFileSync(join(dataDir, 'demo-api-key'), 'utf8').trim(),
    );
    expect(stdout).toContain(`npx threadline demo --gateway ${gateway}`);

    const health = await fetch(`${gateway}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'up' });
    expect((await fetch(`${gateway}/docs/`)).status).toBe(200);
    // The simulator posts the QMS webhooks to the connector's three endpoints.
    const state = (await (await fetch(`${simulator}/_sim/state`)).json()) as SimState;
    expect(state.qms.webhookUrls).toHaveLength(3);
    expect(state.qms.webhookUrls.every((url) => url.includes('/webhooks/qms/'))).toBe(true);
  }, 120_000);

  it('threadline demo runs the NC scenario to the end and prints the timeline and trace', async () => {
    expect(gateway).not.toBe('');
    // The simulator is found through the gateway's connector targets.
    // The demo finds the viewer API key `up` left beside the data.
    const demo = cli(['demo', '--gateway', gateway, '--step-timeout', '90'], {
      THREADLINE_SQLITE_PATH: join(dataDir, 'threadline.sqlite'),
    });
    const code = await demo.exited;
    const { stdout, stderr } = demo.output();
    if (code !== 0) throw new Error(`demo exited ${code}\n${stdout}\n${stderr}`);
    for (const line of [
      /FAILED \(torque 31\.5 N\.m < 38\)/,
      /flow in-process-failure \S+ started/,
      /QMS: nonconformance NC-\d+ raised, severity CRITICAL/,
      /ERP: ASSY-\w+ and descendant FG-\w+ BLOCKED/,
      /CMMS: emergency work order WO-\d+ for PRESS-01/,
      /MES: LINE-1 STOPPED/,
      /dispositioned RELEASE by demo\.quality-lead/,
      /ERP: ASSY-\w+ and FG-\w+ released \(UNRESTRICTED\)/,
      /MES: LINE-1 RUNNING again/,
      /Flow timeline/,
      /ncr-containment +line-resume +done/,
      /ncr-containment +flow +completed/,
      /Trace of FG-\w+/,
    ]) {
      expect(stdout).toMatch(line);
    }
    // What the demo printed is what the plant shows: one emergency work order, done; every
    // batch the demo touched released; the line running.
    const state = (await (await fetch(`${simulator}/_sim/state`)).json()) as SimState;
    const emergency = Object.values(state.cmms.workOrders).filter(
      (order) => order.assetNumber === 'PRESS-01' && order.workType === 'EM',
    );
    expect(emergency).toHaveLength(1);
    expect(emergency[0].status).toBe('COMP');
    const run = /^Threadline demo (\w+):/m.exec(stdout)![1];
    for (const lot of [`ASSY-${run}`, `FG-${run}`]) {
      expect(state.erp.batchStocks[lot].StockStatus).toBe('UNRESTRICTED');
    }
    expect(Object.keys(state.erp.holds)).toHaveLength(2);
    expect(state.mes.lines['LINE-1'].state).toBe('RUNNING');
  }, 600_000);

  it('threadline demo cannot run without a gateway: exit 2, the URL named', async () => {
    const demo = cli(['demo', '--gateway', 'http://127.0.0.1:9', '--step-timeout', '5'], {});
    expect(await demo.exited).toBe(2);
    expect(demo.output().stderr).toContain('cannot reach the gateway');
  });

  it('stops on SIGTERM with exit 0', async () => {
    up.child.kill('SIGTERM');
    expect(await up.exited).toBe(0);
    expect(up.output().stdout).toContain('threadline: shutting down');
  });
});

/** The same command with AMQP_URL and DATABASE_URL set: RabbitMQ (a vhost of its own) and PostgreSQL. */
describe('threadline up and threadline demo on RabbitMQ and PostgreSQL', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let up: ReturnType<typeof cli>;

  const keyDir = mkdtempSync(join(tmpdir(), 'threadline-up-pg-'));
  const keyPlace = { THREADLINE_SQLITE_PATH: join(keyDir, 'unused.sqlite') };

  beforeAll(async () => {
    vhost = await createTestVhost('threadline-up');
    database = await createTestDatabase('threadline_up');
    up = cli(['up'], {
      ...keyPlace,
      AMQP_URL: vhost.url,
      DATABASE_URL: database.url,
      PORT: '0',
      SIM_PORT: '0',
      WEBHOOK_PORT: '0',
      METRICS_PORT: '0',
      TRACEABILITY_PORT: '0',
      SIM_URL: '',
      LOG_LEVEL: '',
    });
  });

  afterAll(async () => {
    if (up.child.exitCode === null) up.child.kill('SIGTERM');
    await up.exited;
    await database.drop();
    await vhost.drop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('prints the stack it runs on and the demo runs to the end', async () => {
    let gateway = '';
    await eventually(
      () => {
        const { stdout, stderr } = up.output();
        if (up.child.exitCode !== null)
          throw new Error(`up exited ${up.child.exitCode}: ${stderr}`);
        gateway = /^ {2}gateway +(http:\/\/127\.0\.0\.1:\d+)/m.exec(stdout)?.[1] ?? '';
        return gateway !== '';
      },
      'threadline up to print where to look',
      90_000,
      200,
    );
    const { stdout } = up.output();
    expect(stdout).toContain('Threadline is running (distributed: RabbitMQ amqp://guest:***@');
    expect(stdout).toMatch(/^ {2}data +postgres:\/\/postgres@127\.0\.0\.1:5432\/threadline_up_/m);
    const key = readFileSync(join(keyDir, 'demo-api-key'), 'utf8').trim();
    const demo = cli(['demo', '--gateway', gateway, '--step-timeout', '90', '--api-key', key], {});
    const code = await demo.exited;
    const output = demo.output();
    if (code !== 0) throw new Error(`demo exited ${code}\n${output.stdout}\n${output.stderr}`);
    expect(output.stdout).toMatch(/ncr-containment +flow +completed/);
    expect(output.stdout).toMatch(/Trace of FG-\w+/);
  }, 600_000);
});
