import { MetricsRegistry } from './metrics.registry';
import { startMetricsServer, type MetricsServer } from './metrics.server';

describe('startMetricsServer', () => {
  let metrics: MetricsRegistry;
  let server: MetricsServer;
  let base: string;

  beforeEach(async () => {
    metrics = new MetricsRegistry({ collectProcessMetrics: false });
    server = await startMetricsServer(metrics, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });

  afterEach(async () => {
    await server.close();
  });

  it('serves the registry as Prometheus text on GET /metrics', async () => {
    metrics.brokerConnectionUp.set({ service: 'connector-erp' }, 1);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).toContain(
      'threadline_broker_connection_up{service="connector-erp"} 1',
    );
  });

  it('answers HEAD without a body, other paths with 404 and other methods with 405', async () => {
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${base}/`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 500 without details when the metrics cannot be rendered', async () => {
    jest.spyOn(metrics, 'text').mockRejectedValueOnce(new Error('secret internal detail'));
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('Metrics unavailable\n');
  });

  it('fails to start on a port that is taken', async () => {
    await expect(startMetricsServer(metrics, server.port, '127.0.0.1')).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});
