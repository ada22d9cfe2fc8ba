import { startPlantSimulator, type PlantSimulator } from '../plant-simulator';
import { call } from '../testing/simulator-test.client';

describe('simulator control API', () => {
  let simulator: PlantSimulator;

  beforeEach(async () => {
    simulator = await startPlantSimulator({ port: 0 });
  });

  afterEach(() => simulator.close());

  it('returns the whole state, including what the drive API changed', async () => {
    await call(simulator.url, 'POST', '/_sim/qms/nonconformances', {
      body: { affected_lots: ['LOT-1001'] },
    });
    const state = await call(simulator.url, 'GET', '/_sim/state');
    expect(state.status).toBe(200);
    expect(Object.keys(state.body)).toEqual(
      expect.arrayContaining(['erp', 'mes', 'qms', 'cmms', 'faults', 'requestLog']),
    );
    expect(state.body.qms.nonconformances['NC-000001'].affected_lots).toEqual(['LOT-1001']);
    expect(state.body.mes.lines['LINE-1'].state).toBe('RUNNING');
  });

  it('resets to the seeded plant, clearing faults, request logs and ids', async () => {
    await call(simulator.url, 'POST', '/_sim/qms/nonconformances', {
      body: { affected_lots: ['LOT-1001'] },
    });
    await call(simulator.url, 'POST', '/_sim/faults/mes', { body: { latencyMs: 10 } });
    await call(simulator.url, 'GET', '/cmms/api/v1/work-orders');
    const reset = await call(simulator.url, 'POST', '/_sim/reset');
    expect(reset.status).toBe(200);
    expect(simulator.state.qms.nonconformances).toEqual({});
    expect(simulator.state.faults.mes).toBeNull();
    expect(simulator.state.requestLog.cmms).toEqual([]);
    const again = await call(simulator.url, 'POST', '/_sim/qms/nonconformances', {
      body: { affected_lots: ['LOT-1002'] },
    });
    expect(again.body.nc_number).toBe('NC-000001');
  });

  it('drives ERP shipments and goods receipts into material documents', async () => {
    const receipt = await call(simulator.url, 'POST', '/_sim/erp/goods-receipts', {
      body: {
        material: 'MAT-300',
        batch: 'LOT-3001',
        quantity: 20,
        supplier: '300009',
        supplierBatch: 'S-77',
      },
    });
    expect(receipt.status).toBe(201);
    expect(simulator.state.erp.batchStocks['LOT-3001']).toMatchObject({
      BatchBySupplier: 'S-77',
      Supplier: '300009',
    });
    const shipment = await call(simulator.url, 'POST', '/_sim/erp/shipments', {
      body: { customer: 'C-9', salesOrder: 'SO-9', lines: [] },
    });
    expect(shipment.status).toBe(400);
    expect(shipment.body.error.message).toContain("'lines'");
  });

  it('answers bad JSON and unknown paths with clear errors', async () => {
    const response = await fetch(`${simulator.url}/_sim/qms/nonconformances`, {
      method: 'POST',
      body: '{nope',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'INVALID_JSON',
    );
    expect((await call(simulator.url, 'GET', '/nowhere')).status).toBe(404);
    expect((await call(simulator.url, 'DELETE', '/mes/api/v1/lines')).status).toBe(405);
  });
});
