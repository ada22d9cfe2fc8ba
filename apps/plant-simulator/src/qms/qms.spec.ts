import { createHmac, timingSafeEqual } from 'node:crypto';
import { startPlantSimulator, type PlantSimulator } from '../plant-simulator';
import {
  call,
  pluck,
  eventually,
  startWebhookReceiver,
  type ReceivedWebhook,
} from '../testing/simulator-test.client';

const SECRET = 'test-secret';

/** What a receiver does: recompute the HMAC over `${timestamp}.${rawBody}` and compare. */
function verifies(webhook: ReceivedWebhook, secret: string): boolean {
  const timestamp = String(webhook.headers['x-threadline-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${webhook.rawBody}`).digest('hex')}`;
  const actual = String(webhook.headers['x-threadline-signature']);
  return (
    actual.length === expected.length && timingSafeEqual(Buffer.from(actual), Buffer.from(expected))
  );
}

describe('QMS REST simulation and webhooks', () => {
  let simulator: PlantSimulator;

  beforeEach(async () => {
    simulator = await startPlantSimulator({
      port: 0,
      webhookSecret: SECRET,
      webhook: { retryDelayMs: 20 },
    });
  });

  afterEach(() => simulator.close());

  const raise = (headers: Record<string, string> = {}) =>
    call(simulator.url, 'POST', '/qms/api/v1/nonconformances', {
      headers,
      body: {
        severity_level: 'CRITICAL',
        affected_lots: ['LOT-1001'],
        defect_code: 'CRACK',
        description: 'Hairline crack',
      },
    });

  it('signs each webhook with HMAC-SHA256 over timestamp and raw body', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await call(simulator.url, 'POST', '/_sim/qms/webhooks', { body: { url: receiver.url } });
      await call(simulator.url, 'POST', '/_sim/qms/nonconformances', {
        body: { affected_lots: ['LOT-1001'] },
      });
      await eventually(() => receiver.received.length === 1);
      const [webhook] = receiver.received;
      expect(verifies(webhook, SECRET)).toBe(true);
      expect(verifies(webhook, 'wrong-secret')).toBe(false);
      expect(
        Math.abs(Number(webhook.headers['x-threadline-timestamp']) - Date.now() / 1000),
      ).toBeLessThan(60);
      const body = JSON.parse(webhook.rawBody);
      expect(body.event).toBe('nonconformance.raised');
      expect(body.data).toMatchObject({
        nc_number: 'NC-000001',
        severity_level: 'MAJOR',
        affected_lots: ['LOT-1001'],
      });
      expect(body.id).toBe(webhook.headers['x-webhook-id']);
    } finally {
      await receiver.close();
    }
  });

  it('retries a failed delivery with the same X-Webhook-Id and body until it succeeds', async () => {
    const receiver = await startWebhookReceiver([500, 503]);
    try {
      await call(simulator.url, 'POST', '/_sim/qms/webhooks', { body: { url: receiver.url } });
      await raise();
      await eventually(() => simulator.state.qms.webhookDeliveries[0]?.status === 'delivered');
      expect(receiver.received).toHaveLength(3);
      const ids = new Set(receiver.received.map((webhook) => webhook.headers['x-webhook-id']));
      expect(ids.size).toBe(1);
      expect(new Set(receiver.received.map((webhook) => webhook.rawBody)).size).toBe(1);
      expect(receiver.received.every((webhook) => verifies(webhook, SECRET))).toBe(true);
      expect(simulator.state.qms.webhookDeliveries[0].attempts).toBe(3);
    } finally {
      await receiver.close();
    }
  });

  it('sends webhooks for disposition, close and inspection results', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await call(simulator.url, 'POST', '/_sim/qms/webhooks', { body: { url: receiver.url } });
      const nc = (await raise()).body.nc_number as string;
      const dispositioned = await call(
        simulator.url,
        'POST',
        `/qms/api/v1/nonconformances/${nc}/disposition`,
        {
          body: {
            decision: 'SCRAP',
            approved_by: { user_id: 'qa.lead' },
            reason: 'crack through wall',
          },
        },
      );
      expect(dispositioned.body.status).toBe('DISPOSITIONED');
      await call(simulator.url, 'POST', `/qms/api/v1/nonconformances/${nc}/close`, {
        body: { capa_ref: 'CAPA-7' },
      });
      await call(simulator.url, 'POST', '/_sim/qms/inspections', {
        body: { material_lot: 'LOT-2001', result: 'FAIL' },
      });
      await eventually(() => receiver.received.length === 4);
      const events = receiver.received
        .map((webhook) => (JSON.parse(webhook.rawBody) as { event: string }).event)
        .sort();
      expect(events).toEqual([
        'inspection.result_recorded',
        'nonconformance.closed',
        'nonconformance.dispositioned',
        'nonconformance.raised',
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('creates a nonconformance once per Idempotency-Key', async () => {
    const first = await raise({ 'idempotency-key': 'qms.nc:1' });
    const second = await raise({ 'idempotency-key': 'qms.nc:1' });
    expect(second.status).toBe(201);
    expect(second.body.nc_number).toBe(first.body.nc_number);
    expect(Object.keys(simulator.state.qms.nonconformances)).toHaveLength(1);
  });

  it('lists by change cursor without gap or repeat; a changed record comes again after its change', async () => {
    const numbers: string[] = [];
    for (let index = 0; index < 3; index += 1) numbers.push((await raise()).body.nc_number);
    const first = await call(simulator.url, 'GET', '/qms/api/v1/nonconformances?limit=2');
    expect(pluck(first.body.data, 'nc_number')).toEqual(numbers.slice(0, 2));
    await call(simulator.url, 'POST', `/qms/api/v1/nonconformances/${numbers[0]}/close`);
    const second = await call(
      simulator.url,
      'GET',
      `/qms/api/v1/nonconformances?cursor=${first.body.next_cursor}&limit=10`,
    );
    expect(
      second.body.data.map(({ nc_number, status }: Record<string, string>) => [nc_number, status]),
    ).toEqual([
      [numbers[2], 'OPEN'],
      [numbers[0], 'CLOSED'],
    ]);
    expect(second.body.has_more).toBe(false);
  });

  it('creates inspection lots idempotently and validates the result body', async () => {
    const lot = () =>
      call(simulator.url, 'POST', '/qms/api/v1/inspection-lots', {
        headers: { 'idempotency-key': 'qms.lot:LOT-1001' },
        body: { material_lot: 'LOT-1001', origin: 'RECEIPT' },
      });
    const first = await lot();
    expect((await lot()).body.inspection_lot_number).toBe(first.body.inspection_lot_number);
    const bad = await call(
      simulator.url,
      'POST',
      `/qms/api/v1/inspection-lots/${first.body.inspection_lot_number}/results`,
      {
        body: {
          result: 'MAYBE',
          measurements: [{ characteristic: 'd', measured_value: 1, unit: 'mm' }],
        },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("'result'");
  });
});
