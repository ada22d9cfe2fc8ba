import type { CloudEvent } from '@threadline/contracts';
import { MessagingRuntime } from '@threadline/messaging';
import { MetricsRegistry } from '@threadline/observability';
import { compileMapping } from '../mapping/mapping';
import type { MappingRejection } from '../mapping/mapping-rejection';
import {
  WEBHOOK_PATH,
  WEBHOOK_SECRET,
  nonconformanceRaisedBody,
  qmsWebhookMapper,
  signedHeaders,
  silentLogger,
} from './qms-webhook.fixture';
import { createWebhookIngress } from './webhook-ingress';
import type { WebhookIngressOptions, WebhookRequest } from './webhook-ingress.types';

/** The runtime's publisher as the ingress sees it (it publishes contracts' CloudEvents). */
const outbox = (runtime: MessagingRuntime): WebhookIngressOptions['publisher'] => runtime.publisher;

interface OutboxRow {
  routing_key: string;
  body: string;
}

describe('webhook ingress', () => {
  let runtime: MessagingRuntime;
  let metrics: MetricsRegistry;
  let rejections: MappingRejection[];

  beforeEach(async () => {
    runtime = await MessagingRuntime.create({
      database: { sqlitePath: ':memory:' },
      logger: silentLogger,
      relay: false,
    });
    metrics = new MetricsRegistry({ collectProcessMetrics: false });
    rejections = [];
  });

  afterEach(async () => {
    await runtime.stop();
  });

  function ingress(overrides: Partial<WebhookIngressOptions> = {}) {
    return createWebhookIngress({
      connector: 'qms',
      webhooks: [
        {
          name: 'nonconformance-raised',
          path: WEBHOOK_PATH,
          secret: WEBHOOK_SECRET,
          toleranceSeconds: 300,
          mapper: qmsWebhookMapper(metrics),
        },
      ],
      publisher: runtime.publisher,
      logger: silentLogger,
      metrics,
      onRejectedMapping: (rejection) => {
        rejections.push(rejection);
        return Promise.resolve();
      },
      ...overrides,
    });
  }

  function request(
    rawBody: string,
    headers: Record<string, string> = signedHeaders(rawBody),
  ): WebhookRequest {
    return { method: 'POST', path: WEBHOOK_PATH, headers, rawBody: Buffer.from(rawBody) };
  }

  async function outboxRows(): Promise<OutboxRow[]> {
    return runtime.dataSource.query('SELECT routing_key, body FROM outbox ORDER BY id');
  }

  async function rejectedCount(reason: string): Promise<number> {
    const { values } = await metrics.webhookRejected.get();
    const labels = { connector: 'qms', webhook: 'nonconformance-raised', reason };
    return (
      values.find((value) => expect.objectContaining(labels).asymmetricMatch(value.labels))
        ?.value ?? 0
    );
  }

  it('verifies, maps and writes one event to the outbox with the deterministic key', async () => {
    const response = await ingress().handle(request(nonconformanceRaisedBody()));

    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      accepted: true,
      id: expect.any(String),
      idempotencykey: 'qms:NC-000001:raised',
    });
    const rows = await outboxRows();
    expect(rows).toHaveLength(1);
    expect(rows[0].routing_key).toBe('quality.nonconformance.raised');
    const event = JSON.parse(rows[0].body) as CloudEvent;
    expect(event).toMatchObject({
      id: (response.body as { id: string }).id,
      type: 'quality.nonconformance.raised',
      subject: 'NC-000001',
      idempotencykey: 'qms:NC-000001:raised',
      time: '2026-05-14T06:27:45.000Z',
    });
    expect(event.data).toEqual({
      ncrId: 'NC-000001',
      severity: 'major',
      lotIds: ['LOT-1001', 'LOT-1002'],
      defectCode: 'DIM-OUT-OF-TOLERANCE',
      description: 'Dimension out of tolerance found at final inspection',
      detectedAt: '2026-05-14T06:27:41.000Z',
      assetId: 'PRESS-01',
      detectedBy: { id: 'u.mueller', kind: 'user', name: 'Anna Mueller' },
    });
  });

  it('answers a replay of the same delivery as a duplicate and publishes nothing more', async () => {
    const handler = ingress();
    const body = nonconformanceRaisedBody();
    const first = await handler.handle(request(body));
    // A vendor retry: same X-Webhook-Id and body, fresh timestamp and signature.
    const replay = await handler.handle(request(body, signedHeaders(body)));

    const { id, idempotencykey } = first.body as { id: string; idempotencykey: string };
    expect(replay).toEqual({ status: 200, body: { duplicate: true, id, idempotencykey } });
    expect(await outboxRows()).toHaveLength(1);
  });

  it('gives the same fact the same idempotency key in another process (the inbox dedupes)', async () => {
    const body = nonconformanceRaisedBody();
    const first = await ingress().handle(request(body));
    const restarted = await ingress().handle(request(body));
    const otherDelivery = nonconformanceRaisedBody({ webhookId: 'wh_0002' });
    const third = await ingress().handle(request(otherDelivery));

    const keys = [first, restarted, third].map(
      (response) => (response.body as { idempotencykey: string }).idempotencykey,
    );
    expect(keys).toEqual(Array(3).fill('qms:NC-000001:raised'));
    const stored = (await outboxRows()).map(
      (row) => (JSON.parse(row.body) as CloudEvent).idempotencykey,
    );
    expect(new Set(stored)).toEqual(new Set(['qms:NC-000001:raised']));
  });

  it('refuses a bad signature with 401, publishes nothing and counts it', async () => {
    const body = nonconformanceRaisedBody();
    const forged = signedHeaders(body, { secret: 'not-the-secret' });
    const response = await ingress().handle(request(body, forged));

    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: { code: 'invalid-signature', message: expect.stringContaining('signature-mismatch') },
    });
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toContain(signedHeaders(body)['x-threadline-signature'].slice(7, 20));
    expect(await outboxRows()).toEqual([]);
    expect(await rejectedCount('signature-mismatch')).toBe(1);
  });

  it.each([
    ['missing-signature', { 'x-threadline-signature': undefined }],
    ['missing-timestamp', { 'x-threadline-timestamp': undefined }],
    ['malformed', { 'x-threadline-signature': 'sha256=not-hex' }],
    ['timestamp-outside-window', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
  ])('refuses %s with 401 and counts that reason', async (reason, change) => {
    const body = nonconformanceRaisedBody();
    const { timestamp, ...headerChanges } = change as { timestamp?: number };
    const headers = { ...signedHeaders(body, { timestamp }), ...headerChanges };
    const response = await ingress().handle(request(body, headers));

    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).toContain(reason);
    expect(await outboxRows()).toEqual([]);
    expect(await rejectedCount(reason)).toBe(1);
  });

  it('does not let a forged request mark a delivery as seen', async () => {
    const handler = ingress();
    const body = nonconformanceRaisedBody();
    await handler.handle(request(body, signedHeaders(body, { secret: 'forged' })));
    const genuine = await handler.handle(request(body));
    expect(genuine.status).toBe(202);
    expect(await outboxRows()).toHaveLength(1);
  });

  it('answers 404 for an unknown path, 405 for another method, 413 for a large body', async () => {
    const handler = ingress({ maxBodyBytes: 2048 });
    const body = nonconformanceRaisedBody();
    const unknown = await handler.handle({ ...request(body), path: '/webhooks/other' });
    const get = await handler.handle({ ...request(body), method: 'GET' });
    const large = JSON.stringify({ padding: 'x'.repeat(4096) });
    const tooLarge = await handler.handle(request(large));
    const withQuery = await handler.handle({ ...request(body), path: `${WEBHOOK_PATH}?via=test` });

    expect(unknown.status).toBe(404);
    expect(get).toMatchObject({ status: 405, headers: { allow: 'POST' } });
    expect(tooLarge.status).toBe(413);
    expect(withQuery.status).toBe(202);
    expect(await rejectedCount('method-not-allowed')).toBe(1);
    expect(await rejectedCount('payload-too-large')).toBe(1);
  });

  it('answers 400 for a signed body that is not JSON', async () => {
    const response = await ingress().handle(
      request('{"id":', signedHeaders('{"id":', { webhookId: 'wh_x' })),
    );
    expect(response).toEqual({
      status: 400,
      body: { error: { code: 'invalid-json', message: 'the body is not valid JSON' } },
    });
    expect(await outboxRows()).toEqual([]);
  });

  it('answers 422 with the issues for a payload that does not map, and dead-letters it once', async () => {
    const handler = ingress();
    const body = nonconformanceRaisedBody({ severity: 'SEVERE' });
    const response = await handler.handle(request(body));
    const retried = await handler.handle(request(body));

    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: 'mapping-rejected',
        message: expect.stringContaining('quality.nonconformance.raised'),
        issues: expect.arrayContaining([
          { path: expect.any(String), message: expect.stringContaining('severity') },
        ]),
      },
    });
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ connector: 'qms', reason: 'schema-invalid' });
    expect(retried).toEqual({ status: 200, body: { duplicate: true, rejected: true } });
    expect(await outboxRows()).toEqual([]);
  });

  it('answers 503 when the event cannot be stored, and handles the retry', async () => {
    let failNext = true;
    const handler = ingress({
      publisher: {
        publish: (event) => {
          if (failNext) {
            failNext = false;
            return Promise.reject(new Error('database is locked'));
          }
          return outbox(runtime).publish(event);
        },
      },
    });
    const body = nonconformanceRaisedBody();
    const failed = await handler.handle(request(body));
    const retried = await handler.handle(request(body));

    expect(failed).toEqual({
      status: 503,
      body: { error: { code: 'publish-failed', message: expect.any(String) } },
    });
    expect(JSON.stringify(failed.body)).not.toContain('database is locked');
    expect(retried.status).toBe(202);
    expect(await outboxRows()).toHaveLength(1);
  });

  it('answers 409 to a copy that arrives while the first is still being handled', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handler = ingress({
      publisher: { publish: (event) => gate.then(() => outbox(runtime).publish(event)) },
    });
    const body = nonconformanceRaisedBody();
    const first = handler.handle(request(body));
    const copy = await handler.handle(request(body));
    release();

    expect(copy.status).toBe(409);
    expect((await first).status).toBe(202);
    expect(await outboxRows()).toHaveLength(1);
  });

  it('forgets a delivery after twice the window, when its signature has expired anyway', async () => {
    let now = Date.now();
    const handler = ingress({ now: () => now });
    const body = nonconformanceRaisedBody();
    await handler.handle(request(body));
    now += 599_000;
    const withinMemory = await handler.handle(
      request(body, signedHeaders(body, { timestamp: Math.floor(now / 1000) })),
    );
    now += 2_000;
    const forgotten = await handler.handle(
      request(body, signedHeaders(body, { timestamp: Math.floor(now / 1000) })),
    );

    expect(withinMemory.status).toBe(200);
    expect(forgotten.status).toBe(202);
  });

  it('refuses a configuration with a duplicate path or an empty secret', () => {
    const endpoint = { name: 'a', path: WEBHOOK_PATH, secret: 's', mapper: qmsWebhookMapper() };
    expect(() => ingress({ webhooks: [endpoint, { ...endpoint, name: 'b' }] })).toThrow(
      `webhook b: path ${WEBHOOK_PATH} is already used`,
    );
    expect(() => ingress({ webhooks: [{ ...endpoint, secret: '' }] })).toThrow(
      'webhook a: secret must not be empty',
    );
  });

  it("acknowledges a delivery its endpoint's where excludes, without mapping or publishing it", async () => {
    const filtered = ingress({
      webhooks: [
        {
          name: 'nonconformance-raised',
          path: WEBHOOK_PATH,
          secret: WEBHOOK_SECRET,
          where: compileMapping("event = 'nonconformance.raised'", 'where'),
          mapper: qmsWebhookMapper(metrics),
        },
      ],
    });
    const closed = nonconformanceRaisedBody({ webhookId: 'wh_closed' }).replace(
      '"event":"nonconformance.raised"',
      '"event":"nonconformance.closed"',
    );
    expect(await filtered.handle(request(closed))).toEqual({
      status: 200,
      body: { ignored: true },
    });
    expect(await outboxRows()).toEqual([]);
    expect(rejections).toEqual([]);
    const raised = await filtered.handle(request(nonconformanceRaisedBody({ webhookId: 'wh_r' })));
    expect(raised.status).toBe(202);
    expect(await outboxRows()).toHaveLength(1);
  });

  it('answers 422 when the where condition itself fails', async () => {
    const broken = ingress({
      webhooks: [
        {
          name: 'nonconformance-raised',
          path: WEBHOOK_PATH,
          secret: WEBHOOK_SECRET,
          where: compileMapping('$number(event)', 'where'),
          mapper: qmsWebhookMapper(metrics),
        },
      ],
    });
    const answer = await broken.handle(request(nonconformanceRaisedBody({ webhookId: 'wh_w' })));
    expect(answer).toMatchObject({ status: 422, body: { error: { code: 'where-failed' } } });
    expect(await outboxRows()).toEqual([]);
  });
});
