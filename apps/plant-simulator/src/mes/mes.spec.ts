import { startPlantSimulator, type PlantSimulator } from '../plant-simulator';
import { call, pluck } from '../testing/simulator-test.client';

describe('MES REST simulation', () => {
  let simulator: PlantSimulator;

  beforeEach(async () => {
    simulator = await startPlantSimulator({ port: 0 });
  });

  afterEach(() => simulator.close());

  const declare = (outputLotId: string) =>
    call(simulator.url, 'POST', '/_sim/mes/output', {
      body: { orderId: '1000001', outputLotId, materialId: 'MAT-900', quantity: 10 },
    });

  it('pages output declarations by cursor with no gap and no repeat, even while new ones arrive', async () => {
    for (const lot of ['OUT-1', 'OUT-2', 'OUT-3']) await declare(lot);
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    for (;;) {
      const page = await call(
        simulator.url,
        'GET',
        `/mes/api/v1/output-declarations?since=${cursor}&limit=2`,
      );
      expect(page.status).toBe(200);
      seen.push(...(pluck(page.body.items, 'outputLotId') as string[]));
      cursor = page.body.nextCursor;
      pages += 1;
      if (pages === 1) await declare('OUT-4');
      if (!page.body.hasMore) break;
    }
    expect(seen).toEqual(['OUT-1', 'OUT-2', 'OUT-3', 'OUT-4']);
    const empty = await call(
      simulator.url,
      'GET',
      `/mes/api/v1/output-declarations?since=${cursor}`,
    );
    expect(empty.body.items).toEqual([]);
    expect(empty.body.nextCursor).toBe(cursor);
  });

  it('posts a goods receipt from production to ERP when output is declared', async () => {
    await declare('OUT-9');
    const receipt = simulator.state.erp.materialDocumentItems.find(
      (item) => item.Batch === 'OUT-9',
    );
    expect(receipt).toMatchObject({ GoodsMovementType: '101', ManufacturingOrder: '1000001' });
    expect(simulator.state.erp.batchStocks['OUT-9']?.StockStatus).toBe('UNRESTRICTED');
  });

  it('rejects a cursor it did not issue', async () => {
    const response = await call(
      simulator.url,
      'GET',
      '/mes/api/v1/consumptions?since=not-a-cursor',
    );
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_CURSOR');
  });

  it('stops a line once per Idempotency-Key and records one downtime event', async () => {
    const stop = () =>
      call(simulator.url, 'POST', '/mes/api/v1/lines/LINE-1/stop', {
        headers: { 'idempotency-key': 'mes.line.stop:NC-1' },
        body: { reason: 'QUALITY_HOLD', reference: 'NC-000001' },
      });
    const first = await stop();
    const second = await stop();
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(simulator.state.mes.lines['LINE-1'].state).toBe('STOPPED');
    expect(simulator.state.mes.lineEvents.filter((event) => event.kind === 'STOPPED')).toHaveLength(
      1,
    );
  });

  it('answers 409 to a second stop without a key, and resumes with the stopped time', async () => {
    await call(simulator.url, 'POST', '/mes/api/v1/lines/LINE-2/stop', { body: { reason: 'JAM' } });
    const again = await call(simulator.url, 'POST', '/mes/api/v1/lines/LINE-2/stop', {
      body: { reason: 'JAM' },
    });
    expect(again.status).toBe(409);
    const resumed = await call(simulator.url, 'POST', '/mes/api/v1/lines/LINE-2/resume', {
      body: { reason: 'CLEARED' },
    });
    expect(resumed.body.state).toBe('RUNNING');
    const events = await call(simulator.url, 'GET', '/mes/api/v1/line-events');
    expect(pluck(events.body.items, 'kind')).toEqual(['STOPPED', 'RESUMED']);
    expect(events.body.items[1].stoppedSeconds).toBeGreaterThanOrEqual(0);
  });

  it('names the missing field and the unknown line', async () => {
    const missing = await call(simulator.url, 'POST', '/mes/api/v1/lines/LINE-1/stop', {
      body: {},
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain("'reason'");
    const unknown = await call(simulator.url, 'POST', '/mes/api/v1/lines/LINE-9/stop', {
      body: { reason: 'x' },
    });
    expect(unknown.status).toBe(404);
  });
});
