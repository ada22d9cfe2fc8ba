import { MessagingRuntime } from '@threadline/messaging';
import {
  WEBHOOK_PATH,
  WEBHOOK_SECRET,
  nonconformanceRaisedBody,
  qmsWebhookMapper,
  signedHeaders,
  silentLogger,
} from './qms-webhook.fixture';
import { startWebhookServer, type WebhookServer } from './webhook-http.server';
import { createWebhookIngress } from './webhook-ingress';
import type { WebhookIngress } from './webhook-ingress.types';

describe('webhook HTTP server', () => {
  let runtime: MessagingRuntime;
  let server: WebhookServer;

  async function start(ingress?: WebhookIngress) {
    server = await startWebhookServer({
      port: 0,
      ingress:
        ingress ??
        createWebhookIngress({
          connector: 'qms',
          webhooks: [
            { name: 'nc', path: WEBHOOK_PATH, secret: WEBHOOK_SECRET, mapper: qmsWebhookMapper() },
          ],
          publisher: runtime.publisher,
          logger: silentLogger,
          maxBodyBytes: 4096,
        }),
    });
  }

  beforeEach(async () => {
    runtime = await MessagingRuntime.create({
      database: { sqlitePath: ':memory:' },
      logger: silentLogger,
      relay: false,
    });
  });

  afterEach(async () => {
    await server?.close();
    await runtime.stop();
  });

  const post = (body: string, headers: Record<string, string>, path = WEBHOOK_PATH) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers, body });

  const outboxCount = async () =>
    (await runtime.dataSource.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM outbox'))[0].n;

  it('verifies the signature over the body bytes exactly as sent', async () => {
    await start();
    // Odd spacing and key order: any parse-and-reserialize before verifying would break it.
    const body = nonconformanceRaisedBody().replace('{', '{  ').replace(/,"/g, ',\n "');
    const response = await post(body, signedHeaders(body));

    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ idempotencykey: 'qms:NC-000001:raised' });
    expect(await outboxCount()).toBe(1);
  });

  it('answers 401 as JSON for a bad signature and publishes nothing', async () => {
    await start();
    const body = nonconformanceRaisedBody();
    const response = await post(body, signedHeaders(body, { secret: 'wrong' }));

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid-signature' } });
    expect(await outboxCount()).toBe(0);
  });

  it('refuses a body over the limit with 413 without reading it', async () => {
    await start();
    const body = JSON.stringify({ padding: 'x'.repeat(8 * 1024) });
    const response = await post(body, signedHeaders(body, { webhookId: 'wh_big' }));

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload-too-large' } });
  });

  it('answers 404 for another path', async () => {
    await start();
    const response = await post('{}', { 'content-type': 'application/json' }, '/elsewhere');
    expect(response.status).toBe(404);
  });

  it('answers 500 without details when the ingress fails unexpectedly', async () => {
    await start({
      maxBodyBytes: 1024,
      handle: () => Promise.reject(new Error('secret internals')),
    });
    const response = await post('{}', {});
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret internals');
  });
});
