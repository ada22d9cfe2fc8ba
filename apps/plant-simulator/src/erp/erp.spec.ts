import { startPlantSimulator, type PlantSimulator } from '../plant-simulator';
import { call, pluck } from '../testing/simulator-test.client';

const SERVICE = '/sap/opu/odata/sap/ZTL_BATCH_STOCK_SRV';

describe('ERP OData simulation', () => {
  let simulator: PlantSimulator;
  let csrf: Record<string, string>;

  beforeEach(async () => {
    simulator = await startPlantSimulator({ port: 0 });
    const fetched = await call(simulator.url, 'GET', `${SERVICE}/`, {
      headers: { 'x-csrf-token': 'Fetch' },
    });
    const cookie = fetched.headers.get('set-cookie')!.split(';')[0];
    csrf = { 'x-csrf-token': fetched.headers.get('x-csrf-token')!, cookie };
  });

  afterEach(() => simulator.close());

  const placeHold = (headers: Record<string, string>, body: object = {}) =>
    call(simulator.url, 'POST', `${SERVICE}/BatchHoldSet`, {
      headers: { ...csrf, ...headers },
      body: {
        Reason: 'NC-000001 suspect lot',
        to_Item: { results: [{ Batch: 'LOT-1001' }] },
        ...body,
      },
    });

  describe('CSRF', () => {
    it('issues a token and a session cookie on GET with x-csrf-token: Fetch', () => {
      expect(csrf['x-csrf-token']).toMatch(/.{16,}/);
      expect(csrf.cookie).toMatch(/^SAP_SESSIONID_SIM=\w+/);
    });

    it('rejects a modifying request without a token with 403 and x-csrf-token: Required', async () => {
      const response = await call(simulator.url, 'POST', `${SERVICE}/BatchHoldSet`, {
        body: { Reason: 'x', to_Item: [{ Batch: 'LOT-1001' }] },
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('x-csrf-token')).toBe('Required');
      expect(response.body.error.message).toEqual({
        lang: 'en',
        value: 'CSRF token validation failed',
      });
      expect(simulator.state.erp.holds).toEqual({});
    });

    it('rejects a valid token sent without its session cookie', async () => {
      const response = await placeHold({ cookie: 'SAP_SESSIONID_SIM=someone-else' });
      expect(response.status).toBe(403);
    });

    it('accepts a modifying request with token and cookie', async () => {
      const response = await placeHold({});
      expect(response.status).toBe(201);
      expect(response.body.d.HoldStatus).toBe('ACTIVE');
      expect(simulator.state.erp.batchStocks['LOT-1001'].StockStatus).toBe('BLOCKED');
    });
  });

  describe('ETag and If-Match', () => {
    it('requires If-Match (428), rejects a stale ETag (412) and accepts the current one', async () => {
      const created = await placeHold({});
      const holdUri = `${SERVICE}/BatchHoldSet('${created.body.d.HoldId}')`;
      const read = await call(simulator.url, 'GET', holdUri);
      const etag = read.headers.get('etag')!;
      expect(read.body.d.__metadata.etag).toBe(etag);
      expect(read.body.d.CreationDateTime).toMatch(/^\/Date\(\d+\+0000\)\/$/);

      const release = { HoldStatus: 'RELEASED', ReleasedBy: 'QA.LEAD', ReleaseReason: 'use as is' };
      const missing = await call(simulator.url, 'PATCH', holdUri, { headers: csrf, body: release });
      expect(missing.status).toBe(428);
      const stale = await call(simulator.url, 'PATCH', holdUri, {
        headers: { ...csrf, 'if-match': `W/"datetimeoffset'2001-01-01T00%3A00%3A00.000Z'"` },
        body: release,
      });
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe('PRECONDITION_FAILED');

      const updated = await call(simulator.url, 'PATCH', holdUri, {
        headers: { ...csrf, 'if-match': etag },
        body: release,
      });
      expect(updated.status).toBe(204);
      expect(updated.headers.get('etag')).not.toBe(etag);
      expect(simulator.state.erp.batchStocks['LOT-1001'].StockStatus).toBe('UNRESTRICTED');

      const merged = await call(simulator.url, 'POST', holdUri, {
        headers: { ...csrf, 'x-http-method': 'MERGE', 'if-match': updated.headers.get('etag')! },
        body: { Reason: 'tunnelled MERGE' },
      });
      expect(merged.status).toBe(204);
      expect(simulator.state.erp.holds[created.body.d.HoldId].Reason).toBe('tunnelled MERGE');

      const replayed = await call(simulator.url, 'PATCH', holdUri, {
        headers: { ...csrf, 'if-match': etag },
        body: release,
      });
      expect(replayed.status).toBe(412);
    });
  });

  describe('idempotent hold creation', () => {
    it('returns the original hold for a repeated Idempotency-Key', async () => {
      const first = await placeHold({ 'idempotency-key': 'cmd-1' });
      const second = await placeHold({ 'idempotency-key': 'cmd-1' });
      expect(second.status).toBe(201);
      expect(second.body.d.HoldId).toBe(first.body.d.HoldId);
      expect(Object.keys(simulator.state.erp.holds)).toHaveLength(1);
    });

    it('returns the existing hold for a repeated ExternalReference (check-before-create)', async () => {
      const first = await placeHold(
        { 'idempotency-key': 'a' },
        { ExternalReference: 'erp:NC-1:hold' },
      );
      const second = await placeHold(
        { 'idempotency-key': 'b' },
        { ExternalReference: 'erp:NC-1:hold' },
      );
      expect(second.body.d.HoldId).toBe(first.body.d.HoldId);
      const lookup = await call(
        simulator.url,
        'GET',
        `${SERVICE}/BatchHoldSet?$filter=ExternalReference eq 'erp:NC-1:hold'`,
      );
      expect(lookup.body.d.results).toHaveLength(1);
    });

    it('makes separate holds for different keys', async () => {
      await placeHold({ 'idempotency-key': 'one' });
      await placeHold({ 'idempotency-key': 'two' });
      expect(Object.keys(simulator.state.erp.holds)).toHaveLength(2);
    });

    it('names the missing field in an OData error', async () => {
      const response = await placeHold({}, { Reason: undefined });
      expect(response.status).toBe(400);
      expect(response.body.error.message.value).toContain("'Reason'");
    });
  });

  describe('change polling on material documents and production orders', () => {
    const documents = '/sap/opu/odata/sap/API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem';

    it('filters on LastChangeDateTime gt, orders and limits', async () => {
      const ship = (batch: string) =>
        call(simulator.url, 'POST', '/_sim/erp/shipments', {
          body: {
            customer: 'C-1',
            salesOrder: 'SO-1',
            lines: [{ material: 'MAT-100', batch, quantity: 5 }],
          },
        });
      const first = await ship('LOT-1001');
      await ship('LOT-1002');
      await ship('LOT-2001');
      const since = first.body.items[0].LastChangeDateTime as string;

      const newer = await call(
        simulator.url,
        'GET',
        `${documents}?$filter=LastChangeDateTime gt datetime'${since.replace('Z', '')}'&$orderby=LastChangeDateTime asc`,
      );
      expect(newer.status).toBe(200);
      expect(pluck(newer.body.d.results, 'Batch')).toEqual(['LOT-1002', 'LOT-2001']);
      expect(newer.body.d.results[0].GoodsMovementType).toBe('601');

      const top = await call(
        simulator.url,
        'GET',
        `${documents}?$orderby=LastChangeDateTime desc&$top=1&$inlinecount=allpages`,
      );
      expect(pluck(top.body.d.results, 'Batch')).toEqual(['LOT-2001']);
      expect(top.body.d.__count).toBe('3');
    });

    it('lists production orders changed after a time and rejects an unsupported filter', async () => {
      const orders = '/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2';
      const created = await call(simulator.url, 'POST', '/_sim/erp/production-orders', {
        body: { material: 'MAT-901', quantity: 40 },
      });
      const before = new Date(Date.parse(created.body.LastChangeDateTime) - 1).toISOString();
      const changed = await call(
        simulator.url,
        'GET',
        `${orders}?$filter=LastChangeDateTime gt datetimeoffset'${before}'`,
      );
      expect(pluck(changed.body.d.results, 'Material')).toEqual(['MAT-901']);
      const bad = await call(simulator.url, 'GET', `${orders}?$filter=substringof('x', Material)`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('INVALID_FILTER');
    });
  });

  it('logs every ERP request with method, path and status', async () => {
    await placeHold({ 'idempotency-key': 'k' });
    await placeHold({ 'idempotency-key': 'k' });
    const posts = simulator.state.requestLog.erp.filter((entry) => entry.method === 'POST');
    expect(posts.map((entry) => entry.status)).toEqual([201, 201]);
    expect(posts[0].path).toBe(`${SERVICE}/BatchHoldSet`);
  });
});
