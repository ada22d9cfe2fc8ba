import { TransientError } from '@threadline/core';
import { buildEnvelope } from '@threadline/contracts';
import type { CommandBinding, PollingSource } from '../config/connector-config.types';
import { createPolicyHttpClient, type PolicyHttpClient } from '../http/policy-http.client';
import { ScriptedHttpServer, status } from '../http/scripted-http.server';
import type { VendorRequest } from '../mapping/outbound-mapper';
import { GenericRestAdapter } from './generic-rest.adapter';
import type { RestPaging } from './rest-paging';

const PAGING: RestPaging = {
  cursorParam: 'since',
  limitParam: 'limit',
  itemsField: 'items',
  nextCursorField: 'nextCursor',
  hasMoreField: 'hasMore',
};

const SOURCE: PollingSource = {
  name: 'receipts',
  resource: '/goods-receipts',
  intervalSeconds: 30,
  cursorField: 'changedAt',
  mapping: { expression: '$' },
  eventType: 'material.lot.received',
  pageSize: 25,
};

const BINDING: CommandBinding = {
  type: 'erp.inventory.hold.place',
  request: { method: 'POST', path: '/holds' },
  mapping: { expression: '$' },
  result: { expression: '$' },
  idempotency: 'header',
};

const COMMAND = buildEnvelope({
  type: 'erp.inventory.hold.place',
  data: { lotIds: ['LOT-1'], reason: 'NC-1', requestedBy: { id: 'qe-7', kind: 'user' } },
  subject: 'NC-1',
  source: { plant: 'PLANT-01', system: 'threadline', connectorId: 'orchestrator' },
  fact: { key: 'orchestrator:NC-1:hold-place' },
});

/** The error `promise` rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('GenericRestAdapter against a real HTTP server', () => {
  let server: ScriptedHttpServer;
  let http: PolicyHttpClient;

  beforeEach(async () => {
    server = await ScriptedHttpServer.start();
    http = createPolicyHttpClient({
      system: 'erp',
      baseUrl: server.baseUrl,
      timeoutMs: 2000,
      // Retries allowed, so that a request sent once shows the client chose not to retry it.
      retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 },
      circuitBreaker: { failureThreshold: 10, openSeconds: 30 },
    });
  });

  afterEach(async () => {
    http.close();
    await server.stop();
  });

  const adapter = (paging: RestPaging = PAGING) => new GenericRestAdapter(http, paging);
  const url = (index: number) => new URL(server.seen[index].url, 'http://x');

  describe('poll', () => {
    it('sends no cursor on the first poll and the page size as the limit', async () => {
      server.script(status(200, {}, { items: [{ id: 1 }], nextCursor: 'c-1', hasMore: false }));
      const page = await adapter().poll(SOURCE, undefined);
      expect(server.seen[0].method).toBe('GET');
      expect(server.seen[0].url).toBe('/goods-receipts?limit=25');
      expect(page).toEqual({ records: [{ id: 1 }], cursor: 'c-1', hasMore: false });
    });

    it('sends the stored cursor, URL-encoded, and 100 as the default page size', async () => {
      server.script(status(200, {}, { items: [], hasMore: false }));
      const { pageSize: _, ...withoutPageSize } = SOURCE;
      await adapter().poll(withoutPageSize, '2026-05-14T08:00:00+02:00|R 7&x');
      expect(url(0).pathname).toBe('/goods-receipts');
      expect([...url(0).searchParams]).toEqual([
        ['since', '2026-05-14T08:00:00+02:00|R 7&x'],
        ['limit', '100'],
      ]);
    });

    it('keeps a query string the resource already has', async () => {
      server.script(status(200, {}, { items: [], hasMore: false }));
      await adapter().poll({ ...SOURCE, resource: '/goods-receipts?plant=P01' }, 'c-1');
      expect(url(0).pathname).toBe('/goods-receipts');
      expect([...url(0).searchParams]).toEqual([
        ['plant', 'P01'],
        ['since', 'c-1'],
        ['limit', '25'],
      ]);
    });

    it("reads the answer's fields and sends the query parameters the paging names", async () => {
      const paging: RestPaging = {
        cursorParam: 'after',
        limitParam: 'max',
        itemsField: 'data',
        nextCursorField: 'next',
        hasMoreField: 'more',
      };
      server.script(
        status(200, {}, { data: [{ id: 1 }, { id: 2 }], next: 'c-3', more: true, items: [] }),
      );
      const page = await adapter(paging).poll(SOURCE, 'c-1');
      expect([...url(0).searchParams]).toEqual([
        ['after', 'c-1'],
        ['max', '25'],
      ]);
      expect(page).toEqual({ records: [{ id: 1 }, { id: 2 }], cursor: 'c-3', hasMore: true });
    });

    it.each([
      ['no next cursor', { items: [], hasMore: false }],
      ['an empty next cursor', { items: [], nextCursor: '', hasMore: false }],
      ['a next cursor that is not a string', { items: [], nextCursor: 7, hasMore: false }],
    ])('keeps the old cursor when the answer has %s', async (_, answer) => {
      server.script(status(200, {}, answer));
      expect(await adapter().poll(SOURCE, 'c-1')).toEqual({
        records: [],
        cursor: 'c-1',
        hasMore: false,
      });
    });

    it('says no more is waiting for an empty page, whatever hasMore says', async () => {
      server.script(status(200, {}, { items: [], nextCursor: 'c-2', hasMore: true }));
      expect((await adapter().poll(SOURCE, 'c-1')).hasMore).toBe(false);
    });

    it('reads hasMore only when it is true', async () => {
      server.script(status(200, {}, { items: [{ id: 1 }], hasMore: 'true' }));
      expect((await adapter().poll(SOURCE, 'c-1')).hasMore).toBe(false);
    });

    it.each([
      ['no items field', '{"records":[]}'],
      ['items that are not an array', '{"items":{"id":1}}'],
      ['a null body', 'null'],
      ['an empty body', ''],
    ])('throws a TransientError naming the field for %s', async (_, answer) => {
      server.script((response) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(answer),
      );
      const error = await rejection(adapter().poll(SOURCE, 'c-1'));
      expect(error).toBeInstanceOf(TransientError);
      expect(error.message).toBe(
        "GET /goods-receipts answered without a 'items' array (check options.paging)",
      );
    });
  });

  describe('execute', () => {
    const execute = (request: VendorRequest) =>
      adapter().execute({ command: COMMAND, binding: BINDING, request });

    it('sends the method, path, headers and body as given and returns the answer', async () => {
      server.script(status(201, {}, { holdId: 'HOLD-7' }));
      const answer = await execute({
        method: 'PUT',
        path: '/holds/NC-1?mode=strict',
        headers: { 'Idempotency-Key': 'orchestrator:NC-1:hold-place', 'X-Plant': 'PLANT-01' },
        body: { lots: ['LOT-1'] },
      });
      expect(answer).toEqual({ status: 201, response: { holdId: 'HOLD-7' } });
      expect(server.seen).toHaveLength(1);
      const [seen] = server.seen;
      expect(seen.method).toBe('PUT');
      expect(seen.url).toBe('/holds/NC-1?mode=strict');
      expect(seen.headers['idempotency-key']).toBe('orchestrator:NC-1:hold-place');
      expect(seen.headers['x-plant']).toBe('PLANT-01');
      expect(JSON.parse(seen.body)).toEqual({ lots: ['LOT-1'] });
    });

    it('sends no body when the request has none', async () => {
      server.script(status(204));
      const answer = await execute({ method: 'DELETE', path: '/holds/HOLD-7' });
      expect(answer.status).toBe(204);
      expect(server.seen[0]).toMatchObject({ method: 'DELETE', url: '/holds/HOLD-7', body: '' });
    });

    it('turns a 409 into a TransientError, sent once', async () => {
      server.script(status(409, {}, { error: 'hold in progress' }));
      const error = await rejection(execute({ method: 'POST', path: '/holds', body: {} }));
      expect(error).toBeInstanceOf(TransientError);
      expect(error.message).toBe('POST /holds answered 409 (conflict)');
      expect(server.seen).toHaveLength(1);
    });
  });
});
