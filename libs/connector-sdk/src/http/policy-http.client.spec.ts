import { PermanentError, ThreadlineError, TransientError } from '@threadline/core';
import { HttpPermanentError, HttpTransientError } from './http.errors';
import { createPolicyHttpClient, type PolicyHttpClient } from './policy-http.client';
import type { PolicyHttpClientOptions } from './policy-http.options';
import { delayed, ScriptedHttpServer, status } from './scripted-http.server';

describe('createPolicyHttpClient against a real HTTP server', () => {
  let server: ScriptedHttpServer;
  let client: PolicyHttpClient | undefined;

  beforeEach(async () => {
    server = await ScriptedHttpServer.start();
  });

  afterEach(async () => {
    client?.close();
    client = undefined;
    await server.stop();
  });

  function connect(overrides: Partial<PolicyHttpClientOptions> = {}): PolicyHttpClient {
    client = createPolicyHttpClient({
      system: 'erp',
      baseUrl: overrides.baseUrl ?? server.baseUrl,
      timeoutMs: 2000,
      retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 2000 },
      circuitBreaker: { failureThreshold: 10, openSeconds: 30 },
      auth: { headers: { Authorization: 'Bearer s3cret-token' } },
      random: () => 0.5,
      ...overrides,
    });
    return client;
  }

  it('returns the parsed response and sends the auth headers', async () => {
    server.script(status(200, {}, { orderId: 'PO-1' }));
    const response = await connect().request<{ orderId: string }>({
      method: 'POST',
      path: '/orders',
      body: { quantity: 5 },
    });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ orderId: 'PO-1' });
    expect(response.headers['content-type']).toBe('application/json');
    expect(server.seen[0]?.headers.authorization).toBe('Bearer s3cret-token');
    expect(JSON.parse(server.seen[0].body)).toEqual({ quantity: 5 });
  });

  it('retries a timed-out attempt', async () => {
    server.script(delayed(5000, status(200)), status(200));
    const response = await connect({ timeoutMs: 200 }).request({ method: 'GET', path: '/slow' });
    expect(response.status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  it('times out a response that trickles in slower than timeoutMs', async () => {
    server.script((response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      // A byte every 50 ms keeps the socket busy, so only a whole-attempt deadline ends it.
      const timer = setInterval(() => response.write('.'), 50);
      response.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await connect({
      timeoutMs: 300,
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 5 },
    })
      .request({ method: 'GET', path: '/trickle' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpTransientError);
    expect(error).toMatchObject({ networkCode: 'ETIMEDOUT' });
    expect(server.seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('succeeds on the third attempt after two 503s with the same Idempotency-Key', async () => {
    server.script(status(503), status(503), status(201));
    const response = await connect().request({
      method: 'POST',
      path: '/work-orders',
      body: { id: 'WO-1' },
      idempotencyKey: 'evt-42',
    });
    expect(response.status).toBe(201);
    expect(server.seen.map((request) => request.headers['idempotency-key'])).toEqual([
      'evt-42',
      'evt-42',
      'evt-42',
    ]);
  });

  it('sends no Idempotency-Key when none is given', async () => {
    server.script(status(200));
    await connect().request({ method: 'GET', path: '/items' });
    expect(server.seen[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('waits for Retry-After on a 429', async () => {
    server.script(status(429, { 'Retry-After': '1' }), status(200));
    const started = Date.now();
    const response = await connect().request({ method: 'GET', path: '/busy' });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(200);
    expect(server.seen).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('hands a Retry-After longer than maxDelayMs to the caller instead of waiting', async () => {
    server.script(status(503, { 'Retry-After': '120' }), status(200));
    const failure = connect()
      .request({ method: 'GET', path: '/maintenance' })
      .catch((error: unknown) => error);
    const error = await failure;
    expect(error).toBeInstanceOf(HttpTransientError);
    expect((error as HttpTransientError).retryAfterMs).toBe(120_000);
    expect(server.seen).toHaveLength(1);
  });

  it('throws a PermanentError at once on a 400, naming the request but no secrets', async () => {
    server.script(status(400, {}, { error: 'bad', echo: 's3cret-token' }));
    const error = await connect()
      .request({ method: 'POST', path: '/orders?apiKey=k3y', body: { password: 'p4ss' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toBeInstanceOf(HttpPermanentError);
    expect(error).toMatchObject({ status: 400, system: 'erp', method: 'POST', path: '/orders' });
    expect(server.seen).toHaveLength(1);
    const text = JSON.stringify(error) + String(error) + String((error as Error).cause);
    for (const secret of ['s3cret-token', 'k3y', 'p4ss']) expect(text).not.toContain(secret);
  });

  it('returns a 409 to the caller as a result, without retrying', async () => {
    server.script(status(409, {}, { existing: 'WO-1' }));
    const response = await connect().request({ method: 'POST', path: '/work-orders' });
    expect(response).toMatchObject({ status: 409, data: { existing: 'WO-1' } });
    expect(server.seen).toHaveLength(1);
  });

  it('retries a refused connection, then throws a TransientError', async () => {
    const baseUrl = server.baseUrl;
    await server.stop();
    // Three attempts of one request are three consecutive failures: the circuit opens.
    const http = connect({ baseUrl, circuitBreaker: { failureThreshold: 3, openSeconds: 30 } });
    const error = await http
      .request({ method: 'GET', path: '/down' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ networkCode: 'ECONNREFUSED', path: '/down' });
    expect(http.state()).toBe('down');
    server = await ScriptedHttpServer.start(); // afterEach stops it
  });

  it('rejects an in-flight request with a TransientError when closed', async () => {
    server.script(delayed(5000, status(200)));
    const http = connect();
    const pending = http.request({ method: 'GET', path: '/slow' }).catch((error: unknown) => error);
    while (server.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    http.close();
    const error = await pending;
    expect(error).toBeInstanceOf(TransientError);
    expect(server.seen).toHaveLength(1);
    expect(http.state()).toBe('up');
  });

  it('spaces requests by the client-side rate limit', async () => {
    server.script(status(200));
    const http = connect({ rateLimit: { requestsPerSecond: 5, burst: 1 } });
    const started = Date.now();
    await Promise.all([1, 2, 3].map(() => http.request({ method: 'GET', path: '/items' })));
    // Burst 1 at 5 per second: the third request leaves about 400 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(server.seen).toHaveLength(3);
  });

  it('rejects bad options with one error naming every field and rule', () => {
    const build = () =>
      connect({
        baseUrl: 'ftp://example',
        timeoutMs: 0,
        retry: { maxAttempts: 0, initialDelayMs: 10, maxDelayMs: 5 },
      });
    expect(build).toThrow(ThreadlineError);
    expect(build).toThrow(/baseUrl must be an absolute http\(s\) URL/);
    expect(build).toThrow(/timeoutMs must be a number above 0/);
    expect(build).toThrow(/retry\.maxAttempts must be an integer of at least 1/);
    expect(build).toThrow(/retry\.maxDelayMs must be at least retry\.initialDelayMs/);
  });
});
