import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import type { OpenAPIObject, ParameterObject } from '@nestjs/swagger';
import { readPackageVersion } from '@threadline/core';
import { nestRoutes } from '@threadline/testing';
import { TraceabilityController, renderOpenApi } from '@threadline/traceability';
import { ConnectorsController } from '../connectors/connectors.controller';
import { DlqController } from '../dlq/dlq.controller';
import { EventsController } from '../events/events.controller';
import { FlowsController } from '../flows/flows.controller';
import { OpsController } from '../ops/ops.controller';
import { buildGatewayOpenApi } from './gateway-openapi';

const root = join(__dirname, '..', '..', '..', '..');
const CONTROLLERS: Type[] = [
  FlowsController,
  EventsController,
  DlqController,
  ConnectorsController,
  OpsController,
  TraceabilityController,
];

const controllerRoutes = () =>
  CONTROLLERS.flatMap((controller) => [...nestRoutes(controller).values()]);

describe('the gateway OpenAPI document', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await buildGatewayOpenApi(readPackageVersion());
  });

  it('is what the committed docs/openapi.json says', () => {
    const file = join(root, 'docs', 'openapi.json');
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const verdict =
      committed === renderOpenApi(document)
        ? 'up to date'
        : 'docs/openapi.json is stale: run npm run gen:openapi';
    expect(verdict).toBe('up to date');
  });

  it('documents every route of every controller, and only those', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      (['get', 'post', 'put', 'delete', 'patch'] as const)
        .filter((method) => item[method])
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(controllerRoutes().sort());
    expect(documented).toEqual(
      expect.arrayContaining([
        'GET /api/v1/flows',
        'GET /api/v1/flows/{id}',
        'GET /api/v1/events',
        'GET /api/v1/dlq',
        'GET /api/v1/dlq/{queue}/messages',
        'POST /api/v1/dlq/{queue}/redrive',
        'GET /api/v1/connectors',
        'GET /health',
        'GET /metrics',
        'GET /api/v1/lots/{lotId}/trace',
      ]),
    );
  });

  it('pages every list the same way: limit and cursor in, items, nextCursor and next out', () => {
    const lists = [
      '/api/v1/flows',
      '/api/v1/events',
      '/api/v1/dlq',
      '/api/v1/dlq/{queue}/messages',
      '/api/v1/connectors',
    ];
    for (const path of lists) {
      const operation = document.paths[path].get!;
      const query = (operation.parameters as ParameterObject[])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => parameter.name);
      expect({
        path,
        paging: query.filter((name) => name === 'limit' || name === 'cursor'),
      }).toEqual({
        path,
        paging: ['limit', 'cursor'],
      });
      const ok = operation.responses['200'] as unknown as {
        content: { 'application/json': { schema: { $ref: string } } };
      };
      const name = ok.content['application/json'].schema.$ref.split('/').pop()!;
      const schema = document.components!.schemas![name] as { required: string[] };
      expect(schema.required).toEqual(expect.arrayContaining(['items', 'nextCursor', 'next']));
    }
  });

  it('answers errors as ApiError: 400 on every operation, 404 where a thing may be unknown', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const operation of [item.get, item.post].filter((op) => op !== undefined)) {
        expect({ path, has400: '400' in operation.responses }).toEqual({ path, has400: true });
        const error = operation.responses['400'] as { content: Record<string, { schema: object }> };
        expect(Object.values(error.content)[0].schema).toEqual({
          $ref: '#/components/schemas/ApiError',
        });
      }
    }
    for (const path of ['/api/v1/flows/{id}', '/api/v1/dlq/{queue}/messages']) {
      expect(Object.keys(document.paths[path].get!.responses)).toContain('404');
    }
    expect(Object.keys(document.paths['/health'].get!.responses)).toContain('503');
  });

  it('names the re-drive headers and body', () => {
    const redrive = document.paths['/api/v1/dlq/{queue}/redrive'].post!;
    const headers = (redrive.parameters as ParameterObject[])
      .filter((parameter) => parameter.in === 'header')
      .map((parameter) => [parameter.name, parameter.required])
      .sort();
    expect(headers).toEqual([
      ['X-Threadline-Actor', true],
      ['X-Threadline-Reason', true],
    ]);
    expect(redrive.requestBody).toBeDefined();
  });

  it('resolves every $ref and has no schema nothing refers to', () => {
    const text = JSON.stringify(document);
    const referenced = new Set(
      [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]),
    );
    const defined = Object.keys(document.components?.schemas ?? {});
    expect([...referenced].filter((name) => !defined.includes(name))).toEqual([]);
    expect(defined.filter((name) => !referenced.has(name))).toEqual([]);
  });
});
