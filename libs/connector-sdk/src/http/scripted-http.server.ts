import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the test server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Reply = (response: ServerResponse, request: SeenRequest) => void;

/**
 * A real HTTP server on a free local port for tests of the policy client: each request takes
 * the next scripted reply (the last one repeats), and every request is recorded.
 */
export class ScriptedHttpServer {
  readonly seen: SeenRequest[] = [];
  private replies: Reply[] = [];
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const seen: SeenRequest = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.seen.push(seen);
        const reply = this.replies.length > 1 ? this.replies.shift() : this.replies[0];
        (reply ?? status(500))(response, seen);
      });
    });
  }

  static async start(): Promise<ScriptedHttpServer> {
    const scripted = new ScriptedHttpServer();
    await new Promise<void>((resolve) => scripted.server.listen(0, '127.0.0.1', resolve));
    return scripted;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  script(...replies: Reply[]): void {
    this.replies = replies;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function status(code: number, headers: Record<string, string> = {}, body?: unknown): Reply {
  return (response) => {
    response.writeHead(code, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body ?? { status: code }));
  };
}

/** Answers only after `milliseconds` (the connection is dropped if the server stops first). */
export function delayed(milliseconds: number, reply: Reply): Reply {
  return (response, request) => {
    const timer = setTimeout(() => {
      if (!response.destroyed) reply(response, request);
    }, milliseconds);
    response.on('close', () => clearTimeout(timer));
  };
}
