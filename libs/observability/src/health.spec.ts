import { readinessOf, type ComponentHealth, type ReadinessReport } from './health';
import type { TargetState } from './metric-labels';
import { MetricsRegistry } from './metrics.registry';
import { startMetricsServer, type MetricsServer } from './metrics.server';

const component = (name: string, state: TargetState): ComponentHealth => ({ name, state });
const broker = (state: TargetState = 'up') => component('broker', state);
const database = (state: TargetState = 'up') => component('database', state);

describe('readinessOf', () => {
  it('is up when every component is up, listing essentials first', () => {
    expect(readinessOf([broker(), database()], [component('erp-main', 'up')])).toEqual({
      status: 'up',
      components: [broker(), database(), component('erp-main', 'up')],
    });
    expect(readinessOf([broker()], [])).toEqual({ status: 'up', components: [broker()] });
  });

  it.each(['down', 'degraded'] as const)('is down when an essential component is %s', (state) => {
    expect(readinessOf([broker(), database(state)], [component('erp-main', 'up')])).toEqual({
      status: 'down',
      components: [broker(), database(state), component('erp-main', 'up')],
    });
  });

  it.each(['down', 'degraded'] as const)(
    'is degraded when only another component is %s',
    (state) => {
      const report = readinessOf(
        [broker(), database()],
        [component('erp-main', 'up'), component('qms-main', state)],
      );
      expect(report.status).toBe('degraded');
      expect(report.components).toHaveLength(4);
    },
  );

  it('is down, not degraded, when both an essential and another component fail', () => {
    expect(readinessOf([broker('down')], [component('erp-main', 'down')]).status).toBe('down');
  });
});

describe('startMetricsServer health endpoints', () => {
  let metrics: MetricsRegistry;
  let server: MetricsServer | undefined;
  let readinessCalls: number;

  beforeEach(() => {
    metrics = new MetricsRegistry({ collectProcessMetrics: false });
    readinessCalls = 0;
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(readiness?: () => Promise<ReadinessReport>): Promise<string> {
    const counted = readiness
      ? () => {
          readinessCalls++;
          return readiness();
        }
      : undefined;
    server = await startMetricsServer(metrics, 0, '127.0.0.1', { readiness: counted });
    return `http://127.0.0.1:${server.port}`;
  }

  async function get(url: string): Promise<{ status: number; type: string | null; body: unknown }> {
    const response = await fetch(url);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: JSON.parse(await response.text()) as unknown,
    };
  }

  it('answers /health/live with 200 without asking readiness, even when the service is down', async () => {
    const base = await start(() =>
      Promise.resolve({ status: 'down', components: [broker('down')] }),
    );
    expect(await get(`${base}/health/live`)).toEqual({
      status: 200,
      type: 'application/json',
      body: { status: 'up', components: [] },
    });
    expect(readinessCalls).toBe(0);
  });

  it.each(['up', 'degraded'] as const)(
    'answers /health/ready with 200 and the report when %s',
    async (status) => {
      const report: ReadinessReport = {
        status,
        components: [broker(), database(), component('erp-main', status)],
      };
      const base = await start(() => Promise.resolve(report));
      expect(await get(`${base}/health/ready`)).toEqual({
        status: 200,
        type: 'application/json',
        body: report,
      });
      expect(readinessCalls).toBe(1);
    },
  );

  it('answers /health/ready with 503 and the report when down', async () => {
    const report: ReadinessReport = {
      status: 'down',
      components: [broker('down'), database(), component('erp-main', 'up')],
    };
    const base = await start(() => Promise.resolve(report));
    expect(await get(`${base}/health/ready?verbose=1`)).toEqual({
      status: 503,
      type: 'application/json',
      body: report,
    });
  });

  it('asks readiness on every request, so the answer follows the service', async () => {
    const states: TargetState[] = ['up', 'down', 'degraded'];
    const base = await start(() =>
      Promise.resolve({ status: states.shift() ?? 'up', components: [] }),
    );
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${base}/health/ready`)).status);
    expect(statuses).toEqual([200, 503, 200]);
  });

  it('answers 503 without details or a stack when the readiness check throws', async () => {
    const base = await start(() =>
      Promise.reject(new Error('password=hunter2 at Database.connect (db.ts:12:3)')),
    );
    const response = await fetch(`${base}/health/ready`);
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(JSON.parse(text)).toEqual({
      status: 'down',
      components: [],
      error: 'readiness check failed',
    });
    expect(text).not.toMatch(/hunter2|db\.ts|at /);
  });

  it('answers /health/ready with 200 up when no readiness check is given', async () => {
    const base = await start();
    expect(await get(`${base}/health/ready`)).toEqual({
      status: 200,
      type: 'application/json',
      body: { status: 'up', components: [] },
    });
  });

  it('still serves /metrics and 404 elsewhere beside the health endpoints', async () => {
    metrics.brokerConnectionUp.set({ service: 'connector-erp' }, 1);
    const base = await start(() => Promise.resolve({ status: 'down', components: [] }));
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.contentType);
    expect(await response.text()).toContain(
      'threadline_broker_connection_up{service="connector-erp"} 1',
    );
    const missing = await fetch(`${base}/health`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('Not found: try /metrics, /health/live or /health/ready\n');
    expect(readinessCalls).toBe(0);
  });
});
