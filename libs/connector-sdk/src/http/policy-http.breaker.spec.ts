import { MetricsRegistry, type TargetState } from '@threadline/observability';
import { systemClock, type Clock } from './clock';
import { CircuitOpenError } from './http.errors';
import { createPolicyHttpClient, type PolicyHttpClient } from './policy-http.client';
import { delayed, ScriptedHttpServer, status } from './scripted-http.server';

describe('createPolicyHttpClient circuit breaker against a real HTTP server', () => {
  let server: ScriptedHttpServer;
  let client: PolicyHttpClient;
  let now: number;
  const states: TargetState[] = [];
  const metrics = new MetricsRegistry({ collectProcessMetrics: false });
  // The breaker reads this clock; sleeps stay real so requests and retries run normally.
  const clock: Clock = { now: () => now, sleep: (milliseconds) => systemClock.sleep(milliseconds) };

  async function gauge(): Promise<number | undefined> {
    const { values } = await metrics.connectorTargetUp.get();
    return values.find((value) => (value.labels as { system?: string }).system === 'cmms')?.value;
  }

  beforeEach(async () => {
    now = 1_000_000;
    states.length = 0;
    server = await ScriptedHttpServer.start();
    client = createPolicyHttpClient({
      system: 'cmms',
      baseUrl: server.baseUrl,
      timeoutMs: 5000,
      retry: { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 100 },
      circuitBreaker: { failureThreshold: 3, openSeconds: 30 },
      metrics,
      clock,
      onStateChange: (state) => states.push(state),
    });
  });

  afterEach(async () => {
    client.close();
    await server.stop();
  });

  const get = () => client.request({ method: 'GET', path: '/assets' });

  it('opens after the threshold, calls nothing while open, then closes after a good trial', async () => {
    expect(await gauge()).toBe(1);
    server.script(status(503));
    for (let attempt = 0; attempt < 3; attempt += 1) await expect(get()).rejects.toThrow('503');
    expect(client.state()).toBe('down');
    expect(await gauge()).toBe(0);

    await expect(get()).rejects.toThrow(CircuitOpenError);
    now += 29_999;
    await expect(get()).rejects.toThrow('circuit open for cmms');
    expect(server.seen).toHaveLength(3);

    now += 1;
    // Held long enough that the checks below run while the trial is still in flight, even under load.
    server.script(delayed(1_500, status(200)));
    const trial = get();
    while (server.seen.length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(client.state()).toBe('degraded');
    expect(await gauge()).toBe(0.5);
    await expect(get()).rejects.toThrow(CircuitOpenError); // one trial at a time
    await expect(trial).resolves.toMatchObject({ status: 200 });

    expect(client.state()).toBe('up');
    expect(await gauge()).toBe(1);
    expect(states).toEqual(['down', 'degraded', 'up']);
    expect(server.seen).toHaveLength(4);
  });

  it('opens again when the half-open trial fails', async () => {
    server.script(status(502));
    for (let attempt = 0; attempt < 3; attempt += 1) await expect(get()).rejects.toThrow('502');
    now += 30_000;
    await expect(get()).rejects.toThrow('502');
    expect(states).toEqual(['down', 'degraded', 'down']);
    expect(await gauge()).toBe(0);
    await expect(get()).rejects.toThrow(CircuitOpenError);
    expect(server.seen).toHaveLength(4);
  });

  it('keeps the circuit closed on 4xx answers: the target is reachable', async () => {
    server.script(status(404));
    for (let attempt = 0; attempt < 5; attempt += 1) await expect(get()).rejects.toThrow('404');
    expect(client.state()).toBe('up');
    expect(states).toEqual([]);
  });

  it('does not retry in-process once the circuit opens', async () => {
    client.close();
    client = createPolicyHttpClient({
      system: 'cmms',
      baseUrl: server.baseUrl,
      timeoutMs: 5000,
      retry: { maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 5 },
      circuitBreaker: { failureThreshold: 2, openSeconds: 30 },
      clock,
    });
    server.script(status(500));
    await expect(get()).rejects.toThrow(CircuitOpenError);
    expect(server.seen).toHaveLength(2);
  });
});
