import { createLogger } from '@threadline/observability';
import type { ConnectorConfig } from '../config/connector-config.types';
import { createPolicyHttpClient } from '../http/policy-http.client';
import { ScriptedHttpServer, status } from '../http/scripted-http.server';
import { DEFAULT_CIRCUIT_BREAKER, DEFAULT_RETRY } from '../config/connector-defaults';
import { restConnector } from './rest-connector';
import { restPaging, type RestPaging } from './rest-paging';

const DEFAULTS: RestPaging = {
  cursorParam: 'since',
  limitParam: 'limit',
  itemsField: 'items',
  nextCursorField: 'nextCursor',
  hasMoreField: 'hasMore',
};
const KNOWN = 'cursorParam, limitParam, itemsField, nextCursorField, hasMoreField';

describe('restPaging', () => {
  it('gives the defaults without problems when the options have no paging', () => {
    expect(restPaging({}, DEFAULTS)).toEqual({ paging: DEFAULTS, problems: [] });
    expect(restPaging({ other: 1 }, DEFAULTS)).toEqual({ paging: DEFAULTS, problems: [] });
  });

  it('overrides the settings given and keeps the defaults of the others', () => {
    const { paging, problems } = restPaging(
      { paging: { cursorParam: 'after', itemsField: '$results', hasMoreField: 'more_pages' } },
      DEFAULTS,
    );
    expect(problems).toEqual([]);
    expect(paging).toEqual({
      cursorParam: 'after',
      limitParam: 'limit',
      itemsField: '$results',
      nextCursorField: 'nextCursor',
      hasMoreField: 'more_pages',
    });
    expect(DEFAULTS.cursorParam).toBe('since');
  });

  it('reports each unknown key with the known ones', () => {
    expect(restPaging({ paging: { pageToken: 'x', size: 'n' } }, DEFAULTS).problems).toEqual([
      `paging.pageToken is not a paging setting; known: ${KNOWN}`,
      `paging.size is not a paging setting; known: ${KNOWN}`,
    ]);
  });

  it.each([
    ['a number', 5],
    ['a name with a space', 'next cursor'],
    ['a name starting with a digit', '1st'],
    ['a dotted path', 'page.next'],
    ['an empty string', ''],
    ['null', null],
  ])('reports %s as not a name and keeps the default', (_, value) => {
    const result = restPaging({ paging: { nextCursorField: value, limitParam: 'max' } }, DEFAULTS);
    expect(result.problems).toEqual(['paging.nextCursorField must be a field or parameter name']);
    expect(result.paging.nextCursorField).toBe('nextCursor');
    expect(result.paging.limitParam).toBe('max');
  });

  it.each([
    ['a string', 'cursor'],
    ['an array', ['since']],
    ['null', null],
  ])('reports paging given as %s', (_, paging) => {
    expect(restPaging({ paging }, DEFAULTS)).toEqual({
      paging: DEFAULTS,
      problems: ['paging must be an object'],
    });
  });
});

describe('restConnector', () => {
  const spec = restConnector({
    adapter: 'generic-rest',
    system: 'mes',
    description: 'a MES REST API',
    commands: {},
    events: ['production.operation.completed'],
    paging: DEFAULTS,
    probePath: '/health',
  });

  it('declares the generic adapter with the default retry and circuit breaker', () => {
    expect(spec).toMatchObject({
      adapter: 'generic-rest',
      system: 'mes',
      probePath: '/health',
      retry: DEFAULT_RETRY,
      circuitBreaker: DEFAULT_CIRCUIT_BREAKER,
    });
  });

  it('checks spec.options.paging over the declared defaults', () => {
    expect(spec.checkOptions?.({ paging: { itemsField: 'data' } })).toEqual([]);
    expect(spec.checkOptions?.({ paging: { itemsField: 'a b', foo: 'x' } })).toEqual([
      'paging.itemsField must be a field or parameter name',
      `paging.foo is not a paging setting; known: ${KNOWN}`,
    ]);
  });

  it('builds an adapter that pages with the overrides of the configuration', async () => {
    const server = await ScriptedHttpServer.start();
    const http = createPolicyHttpClient({
      system: 'mes',
      baseUrl: server.baseUrl,
      timeoutMs: 2000,
      retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 },
      circuitBreaker: DEFAULT_CIRCUIT_BREAKER,
    });
    const config: ConnectorConfig = {
      apiVersion: 'threadline/v1',
      kind: 'Connector',
      metadata: { name: 'mes-main', plant: 'PLANT-01' },
      spec: {
        system: 'mes',
        adapter: 'generic-rest',
        target: { baseUrl: server.baseUrl, timeoutMs: 2000 },
        options: { paging: { cursorParam: 'after', itemsField: 'data' } },
      },
    };
    try {
      server.script(status(200, {}, { data: [{ id: 1 }], nextCursor: 'c-2', hasMore: false }));
      const adapter = spec.create({
        config,
        http,
        logger: createLogger({ service: 't', level: 'silent' }),
      });
      const page = await adapter.poll(
        {
          name: 'operations',
          resource: '/operations',
          intervalSeconds: 30,
          cursorField: 'at',
          mapping: { expression: '$' },
          eventType: 'production.operation.completed',
          pageSize: 10,
        },
        'c-1',
      );
      expect(server.seen[0].url).toBe('/operations?after=c-1&limit=10');
      expect(page).toEqual({ records: [{ id: 1 }], cursor: 'c-2', hasMore: false });
    } finally {
      http.close();
      await server.stop();
    }
  });
});
