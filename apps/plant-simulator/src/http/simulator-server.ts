import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultInjector } from '../faults/fault-injector';
import type { SystemName } from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';
import { HttpError, type HttpRouter, type SimRequest, type SimResponse } from './http-router';

/** One vendor system: where it lives, its routes, and how it spells an error. */
export interface SystemApp {
  system: SystemName;
  prefix: string;
  router: HttpRouter;
  renderError(error: HttpError): SimResponse;
  /** SAP clients tunnel MERGE and friends through POST with an `X-HTTP-Method` header. */
  allowsMethodOverride?: boolean;
}

const MAX_BODY_BYTES = 1_000_000;

export function restError(error: HttpError): SimResponse {
  return {
    status: error.status,
    headers: error.headers,
    body: { error: { code: error.code, message: error.message } },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', 'Body over 1 MB');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(rawBody: string): unknown {
  if (rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'Body is not valid JSON');
  }
}

function send(response: ServerResponse, result: SimResponse): void {
  const headers: Record<string, string | string[]> = { ...(result.headers ?? {}) };
  if (result.body === undefined) {
    response.writeHead(result.status, headers).end();
    return;
  }
  headers['content-type'] ??= 'application/json';
  response.writeHead(result.status, headers).end(JSON.stringify(result.body));
}

async function dispatch(router: HttpRouter, request: SimRequest): Promise<SimResponse> {
  const { handler, params } = router.resolve(request.method, request.path);
  return handler({ ...request, params });
}

/** Routes `/_sim/*` to the control router and every other prefix to its system, with faults. */
export function createSimulatorServer(
  systems: SystemApp[],
  controlRouter: HttpRouter,
  store: SimulatorStore,
  faults: FaultInjector,
): Server {
  async function handleSystem(app: SystemApp, simRequest: SimRequest, response: ServerResponse) {
    const decision = faults.decide(app.system);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    const logEntry = {
      method: simRequest.method,
      path: simRequest.path,
      query: simRequest.query.toString(),
      at: new Date().toISOString(),
    };
    if (decision.kind === 'drop') {
      store.log(app.system, { ...logEntry, status: 0 });
      response.socket?.destroy();
      return;
    }
    let result: SimResponse;
    if (decision.kind === 'fail') {
      const retryAfter = decision.retryAfterSeconds;
      const headers: Record<string, string> =
        retryAfter === null ? {} : { 'retry-after': String(retryAfter) };
      const code = decision.status === 429 ? 'TOO_MANY_REQUESTS' : 'SERVICE_UNAVAILABLE';
      result = app.renderError(new HttpError(decision.status, code, 'Injected fault', headers));
    } else {
      result = await dispatch(app.router, simRequest).catch((error: unknown) =>
        app.renderError(toHttpError(error)),
      );
    }
    store.log(app.system, { ...logEntry, status: result.status });
    send(response, result);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator.local');
    const app = systems.find((candidate) => url.pathname.startsWith(candidate.prefix));
    const renderError = (error: HttpError) => (app ? app.renderError(error) : restError(error));
    try {
      const rawBody = await readBody(request);
      const simRequest: SimRequest = {
        method: effectiveMethod(request, app?.allowsMethodOverride === true),
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        rawBody,
        body: parseJson(rawBody),
        params: {},
      };
      if (app) return await handleSystem(app, simRequest, response);
      if (!url.pathname.startsWith('/_sim/'))
        throw new HttpError(404, 'NOT_FOUND', `No system serves ${url.pathname}`);
      send(response, await dispatch(controlRouter, simRequest));
    } catch (error: unknown) {
      if (!response.headersSent) send(response, renderError(toHttpError(error)));
    }
  }

  return createServer((request, response) => {
    void handle(request, response);
  });
}

function effectiveMethod(request: IncomingMessage, allowsOverride: boolean): string {
  const method = (request.method ?? 'GET').toUpperCase();
  const override = request.headers['x-http-method'];
  if (!allowsOverride || method !== 'POST' || typeof override !== 'string') return method;
  return override.toUpperCase();
}

/** Unexpected errors become a plain 500 without a stack trace. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  return new HttpError(500, 'INTERNAL_ERROR', 'The simulator failed to handle the request');
}
