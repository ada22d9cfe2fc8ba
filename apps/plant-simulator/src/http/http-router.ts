import type { IncomingHttpHeaders } from 'node:http';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  params: Record<string, string>;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

export type RouteHandler = (request: SimRequest) => SimResponse | Promise<SimResponse>;

/** A failure with an HTTP status and a stable code; each system renders it in its own style. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
}

/** `/lines/:lineId/stop` -> a RegExp with named groups; a RegExp is used as given. */
function compile(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) return pattern;
  const source = pattern
    .split('/')
    .map((segment) =>
      segment.startsWith(':')
        ? `(?<${segment.slice(1)}>[^/]+)`
        : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

export class HttpRouter {
  private readonly routes: Route[] = [];

  add(method: string | string[], pattern: string | RegExp, handler: RouteHandler): this {
    for (const one of Array.isArray(method) ? method : [method]) {
      this.routes.push({ method: one, pattern: compile(pattern), handler });
    }
    return this;
  }

  /** Finds the handler; 404 when no path matches, 405 when only the method is wrong. */
  resolve(method: string, path: string): { handler: RouteHandler; params: Record<string, string> } {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(match.groups ?? {})) {
        params[name] = decodeURIComponent(value);
      }
      return { handler: route.handler, params };
    }
    if (pathMatched) {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not supported on ${path}`);
    }
    throw new HttpError(404, 'NOT_FOUND', `No resource at ${path}`);
  }
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SimResponse {
  return { status, body, headers };
}

export function headerValue(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
