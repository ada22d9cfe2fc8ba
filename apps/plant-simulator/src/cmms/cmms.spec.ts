import { startPlantSimulator, type PlantSimulator } from '../plant-simulator';
import { call, pluck } from '../testing/simulator-test.client';

describe('CMMS REST simulation', () => {
  let simulator: PlantSimulator;

  beforeEach(async () => {
    simulator = await startPlantSimulator({ port: 0 });
  });

  afterEach(() => simulator.close());

  const create = (externalReference: string, headers: Record<string, string> = {}) =>
    call(simulator.url, 'POST', '/cmms/api/v1/work-orders', {
      headers,
      body: {
        externalReference,
        assetNumber: 'PRESS-01',
        workType: 'CM',
        priority: 2,
        description: 'Check die wear',
      },
    });

  it('creates a work order once per external reference', async () => {
    const first = await create('cmms.workorder.create:NC-1');
    const second = await create('cmms.workorder.create:NC-1');
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.workOrderNumber).toBe(first.body.workOrderNumber);
    expect(Object.keys(simulator.state.cmms.workOrders)).toHaveLength(1);
  });

  it('creates a work order once per Idempotency-Key', async () => {
    const first = await create('', { 'idempotency-key': 'k-1' });
    const second = await create('', { 'idempotency-key': 'k-1' });
    expect(second.body).toEqual(first.body);
    expect(Object.keys(simulator.state.cmms.workOrders)).toHaveLength(1);
  });

  it('pages by updatedSince without gap or repeat, and a completion moves the order to the end', async () => {
    const numbers: string[] = [];
    for (const reference of ['A', 'B', 'C'])
      numbers.push((await create(reference)).body.workOrderNumber);
    const firstPage = await call(simulator.url, 'GET', '/cmms/api/v1/work-orders?limit=2');
    expect(pluck(firstPage.body.items, 'workOrderNumber')).toEqual(numbers.slice(0, 2));
    expect(firstPage.body.moreAvailable).toBe(true);

    const completed = await call(
      simulator.url,
      'POST',
      `/_sim/cmms/workorders/${numbers[0]}/complete`,
      {
        body: {
          failureCause: 'WORN-DIE',
          actualLaborHours: 1.5,
          materialsUsed: [{ itemNumber: 'DIE-7', quantity: 1 }],
        },
      },
    );
    expect(completed.body.status).toBe('COMP');

    const since = encodeURIComponent(firstPage.body.nextUpdatedSince);
    const secondPage = await call(
      simulator.url,
      'GET',
      `/cmms/api/v1/work-orders?updatedSince=${since}&limit=2`,
    );
    expect(pluck(secondPage.body.items, 'workOrderNumber')).toEqual([numbers[2], numbers[0]]);
    expect(secondPage.body.items[1].materialsUsed).toEqual([{ itemNumber: 'DIE-7', quantity: 1 }]);
  });

  it('records downtime with a duration and rejects a bad priority', async () => {
    const started = await call(simulator.url, 'POST', '/cmms/api/v1/downtime-records', {
      body: { assetNumber: 'PRESS-01', reasonCode: 'BREAKDOWN' },
    });
    const ended = await call(
      simulator.url,
      'POST',
      `/cmms/api/v1/downtime-records/${started.body.downtimeId}/end`,
    );
    expect(ended.body.durationSeconds).toBeGreaterThanOrEqual(0);
    const feed = await call(simulator.url, 'GET', '/cmms/api/v1/downtime-records');
    expect(feed.body.items).toHaveLength(1);
    const bad = await call(simulator.url, 'POST', '/cmms/api/v1/work-orders', {
      body: { assetNumber: 'X', workType: 'CM', priority: 9 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("'priority'");
  });
});
