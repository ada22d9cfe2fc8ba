import { startPlantSimulator, type PlantSimulator } from '../plant-simulator';
import { call } from '../testing/simulator-test.client';

const LINES = '/mes/api/v1/lines';

describe('fault injection', () => {
  let simulator: PlantSimulator;

  beforeEach(async () => {
    simulator = await startPlantSimulator({ port: 0 });
  });

  afterEach(() => simulator.close());

  const inject = (system: string, body: object) =>
    call(simulator.url, 'POST', `/_sim/faults/${system}`, { body });

  it('adds latency to every request of the faulty system only', async () => {
    await inject('mes', { latencyMs: 800 });
    const started = Date.now();
    const response = await call(simulator.url, 'GET', LINES);
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    const other = Date.now();
    await call(simulator.url, 'GET', '/cmms/api/v1/work-orders');
    expect(Date.now() - other).toBeLessThan(700);
  });

  it('answers 503 during a window and recovers after it', async () => {
    await inject('qms', { status: 503, forSeconds: 1 });
    const during = await call(simulator.url, 'GET', '/qms/api/v1/nonconformances');
    expect(during.status).toBe(503);
    expect(during.body.error.code).toBe('SERVICE_UNAVAILABLE');
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const after = await call(simulator.url, 'GET', '/qms/api/v1/nonconformances');
    expect(after.status).toBe(200);
    expect(simulator.state.faults.qms).toBeNull();
  });

  it('answers 429 with Retry-After, in the OData error shape for ERP', async () => {
    await inject('erp', { status: 429, retryAfterSeconds: 7 });
    const response = await call(
      simulator.url,
      'GET',
      '/sap/opu/odata/sap/ZTL_BATCH_STOCK_SRV/BatchStockSet',
    );
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.body.error.message.lang).toBe('en');
  });

  it('drops the connection during an outage and serves again once cleared', async () => {
    await inject('cmms', { outage: true });
    await expect(fetch(`${simulator.url}/cmms/api/v1/work-orders`)).rejects.toThrow();
    expect(simulator.state.requestLog.cmms.at(-1)!.status).toBe(0);
    const cleared = await call(simulator.url, 'DELETE', '/_sim/faults/cmms');
    expect(cleared.status).toBe(200);
    expect((await call(simulator.url, 'GET', '/cmms/api/v1/work-orders')).status).toBe(200);
  });

  it('fails exactly every Nth request for an error rate (deterministic)', async () => {
    await inject('mes', { errorRate: 0.5, status: 503 });
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1)
      statuses.push((await call(simulator.url, 'GET', LINES)).status);
    expect(statuses).toEqual([200, 503, 200, 503, 200, 503]);
  });

  it('uses 500 for an error rate without a status', async () => {
    await inject('mes', { errorRate: 1 });
    expect((await call(simulator.url, 'GET', LINES)).status).toBe(500);
  });

  it('never faults the /_sim control API and validates the fault body', async () => {
    for (const system of ['erp', 'mes', 'qms', 'cmms']) await inject(system, { outage: true });
    expect((await call(simulator.url, 'GET', '/_sim/state')).status).toBe(200);
    const bad = await inject('mes', { status: 418 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("'status'");
    expect((await inject('plc', { outage: true })).status).toBe(404);
  });
});
