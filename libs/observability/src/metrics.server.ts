import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadinessReport } from './health';
import type { MetricsRegistry } from './metrics.registry';

export interface MetricsServerOptions {
  /** Answers GET /health/ready: 200 unless the report is `down` (503). */
  readiness?: () => Promise<ReadinessReport>;
}

export interface MetricsServer {
  /** The bound port (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * A minimal HTTP server with GET /metrics, /health/live and /health/ready, for services that do
 * not run the gateway. Port 0 picks a free port.
 */
export async function startMetricsServer(
  metrics: MetricsRegistry,
  port: number,
  host = '0.0.0.0',
  options: MetricsServerOptions = {},
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/health/live' || path === '/health/ready') {
      void respondHealth(path, options, response);
      return;
    }
    void respond(metrics, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function respond(
  metrics: MetricsRegistry,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path !== '/metrics') {
    response
      .writeHead(404, { 'Content-Type': 'text/plain' })
      .end('Not found: try /metrics, /health/live or /health/ready\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response
      .writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' })
      .end('Method not allowed\n');
    return;
  }
  try {
    const body = await metrics.text();
    response.writeHead(200, { 'Content-Type': metrics.contentType });
    response.end(request.method === 'HEAD' ? undefined : body);
  } catch {
    // Never a stack trace to the scraper; the failure shows as a failed scrape.
    response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Metrics unavailable\n');
  }
}

async function respondHealth(
  path: string,
  options: MetricsServerOptions,
  response: ServerResponse,
): Promise<void> {
  const json = (status: number, body: object) =>
    response
      .writeHead(status, { 'Content-Type': 'application/json' })
      .end(`${JSON.stringify(body)}\n`);
  if (path === '/health/live' || !options.readiness) {
    json(200, { status: 'up', components: [] });
    return;
  }
  try {
    const report = await options.readiness();
    json(report.status === 'down' ? 503 : 200, report);
  } catch {
    json(503, { status: 'down', components: [], error: 'readiness check failed' });
  }
}
