import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@threadline/observability';
import type { WebhookIngress, WebhookResponse } from './webhook-ingress.types';

export interface WebhookServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  ingress: WebhookIngress;
  /** Where unexpected failures are logged (the client only sees a bare 500). */
  logger?: Logger;
}

export interface WebhookServer {
  /** `http://host:port`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * A small node:http front for a WebhookIngress. It collects the body as raw bytes and hands them
 * over unparsed: the signature covers exactly what was sent, so nothing may parse or re-encode it
 * first. Bodies over the ingress's limit are refused without being read to the end.
 */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const server = createServer((request, response) => {
    serve(options.ingress, request, response).catch((error: unknown) => {
      options.logger?.error({ err: error, path: request.url }, 'webhook request failed');
      if (!response.headersSent) send(response, internalError());
      else response.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(
  ingress: WebhookIngress,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request, ingress.maxBodyBytes);
  const truncated = body === 'too-large';
  const answer = await ingress.handle({
    method: request.method ?? 'GET',
    path: request.url ?? '/',
    headers: request.headers,
    rawBody: truncated ? Buffer.alloc(0) : body,
    truncated,
  });
  send(response, answer, truncated);
}

/** The whole body, or `too-large` as soon as it passes the limit (the rest is not read). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        request.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks, size)));
    request.once('error', reject);
    // A client that goes away mid-body; settling twice is harmless, a promise left pending is not.
    request.once('close', () => {
      if (!request.complete) reject(new Error('the request was closed before its end'));
    });
  });
}

function send(response: ServerResponse, answer: WebhookResponse, closeConnection = false): void {
  const body = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    ...answer.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    // An unread body cannot be skipped on a kept-alive connection.
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  response.end(body);
}

function internalError(): WebhookResponse {
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}
