import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import type { OpenAPIObject, ParameterObject } from '@nestjs/swagger';
import { readPackageVersion } from '@threadline/core';
import { nestRoutes } from '@threadline/testing';
import { TraceabilityController, renderOpenApi } from '@threadline/traceability';
import { AuditController } from '../audit/audit.controller';
import { ConnectorsController } from '../connectors/connectors.controller';
import { DlqController } from '../dlq/dlq.controller';
import { EventsController } from '../events/events.controller';
import { FlowsController } from '../flows/flows.controller';
import { HoldsController } from '../holds/holds.controller';
import { OpsController } from '../ops/ops.controller';
import { ROUTE_ROLES, renderRouteRoleTable } from '../security/route-roles';
import { buildGatewayOpenApi } from './gateway-openapi';

const root = join(__dirname, '..', '..', '..', '..');
const CONTROLLERS: Type[] = [
  FlowsController,
  EventsController,
  DlqController,
  ConnectorsController,
  HoldsController,
  AuditController,
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
      '/api/v1/audit',
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
    expect(headers).toEqual([['X-Threadline-Reason', true]]);
    expect(redrive.requestBody).toBeDefined();
  });

  it('shows the route-to-role table: security schemes, security and x-roles per operation', () => {
    expect(Object.keys(document.components?.securitySchemes ?? {}).sort()).toEqual([
      'apiKey',
      'bearer',
    ]);
    for (const route of controllerRoutes()) {
      const [method, path] = route.split(' ');
      const operation = document.paths[path][method.toLowerCase() as 'get'] as unknown as {
        security: object[];
        'x-roles': string[];
        description: string;
        responses: Record<string, unknown>;
      };
      const rule = ROUTE_ROLES[route];
      expect({ route, roles: operation['x-roles'] }).toEqual({
        route,
        roles: rule.open === 'always' ? [] : rule.roles,
      });
      if (rule.open === 'always') {
        expect({ route, security: operation.security }).toEqual({ route, security: [] });
        continue;
      }
      expect(operation.security).toEqual(expect.arrayContaining([{ bearer: [] }, { apiKey: [] }]));
      expect(operation.description).toContain(rule.roles.join(', '));
      expect(Object.keys(operation.responses)).toEqual(
        expect.arrayContaining(['401', '403', '429']),
      );
    }
    expect(document.paths['/api/v1/holds/{holdId}/release'].post!['x-roles' as 'tags']).toEqual([
      'quality-approver',
    ]);
    expect(document.paths['/api/v1/dlq/{queue}/redrive'].post!['x-roles' as 'tags']).toEqual([
      'operator',
    ]);
  });

  it('has a line of the route-to-role table for every route, and the README shows the table', () => {
    const routes = controllerRoutes();
    expect(routes.filter((route) => !ROUTE_ROLES[route])).toEqual([]);
    // The audit route is served by libs/audit's controller when it is mounted.
    expect(Object.keys(ROUTE_ROLES).filter((route) => !routes.includes(route))).toEqual(
      routes.includes('GET /api/v1/audit') ? [] : ['GET /api/v1/audit'],
    );
    const readme = readFileSync(join(root, 'apps', 'gateway', 'README.md'), 'utf8');
    expect(readme).toContain(renderRouteRoleTable());
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
