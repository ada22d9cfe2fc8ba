import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';
import { readPackageVersion } from '@threadline/core';
import { nestRoutes } from '@threadline/testing';
import { buildEpcisDocument } from '../epcis';
import {
  lotReportFixture,
  receivedLotReportFixture,
  receivedLotWithOrdersFixture,
} from '../report/lot-report.fixture';
import { renderLotReportJson } from '../report';
import { buildTraceabilityOpenApi, renderOpenApi } from './openapi';
import { OpenApiConformance } from './openapi-conformance';
import { lotIdParam } from './query-params';
import { TraceabilityController } from './traceability.controller';

const root = join(__dirname, '..', '..', '..', '..');

const controllerRoutes = () => nestRoutes(TraceabilityController);

function operations(document: OpenAPIObject): Map<string, OperationObject> {
  const found = new Map<string, OperationObject>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
      const operation = item[method];
      if (operation) found.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return found;
}

const parameters = (operation: OperationObject, where: 'path' | 'query') =>
  (operation.parameters as ParameterObject[]).filter((parameter) => parameter.in === where);

/** The query parameters each handler accepts (its onlyKnown list). */
const QUERY_PARAMETERS: Record<string, string[]> = {
  lot: [],
  trace: ['direction', 'maxDepth'],
  recallScope: [],
  report: ['format'],
  epcis: [],
  gaps: ['limit', 'status'],
};

describe('the traceability OpenAPI document', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await buildTraceabilityOpenApi(readPackageVersion());
  });

  it('is part of the committed docs/openapi.json (the gateway document), path for path', () => {
    const file = join(root, 'docs', 'openapi.json');
    const committed = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as {
      paths?: Record<string, unknown>;
      components?: { schemas?: Record<string, unknown> };
    };
    for (const [path, item] of Object.entries(document.paths)) {
      const gateway = withoutGatewaySecurity(committed.paths?.[path]);
      expect({ path, item: gateway }).toEqual({ path, item });
    }
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      expect({ name, schema: committed.components?.schemas?.[name] }).toEqual({ name, schema });
    }
  });

  it('is the same when built again, names the API and serves it relative to its host', async () => {
    const again = await buildTraceabilityOpenApi(readPackageVersion());
    expect(renderOpenApi(again)).toBe(renderOpenApi(document));
    expect(document.openapi).toBe('3.0.0');
    expect(document.info).toMatchObject({
      title: 'Threadline traceability API',
      version: readPackageVersion(),
    });
    expect(document.servers).toEqual([{ url: '/' }]);
    expect(Object.keys(document).slice(0, 5)).toEqual([
      'openapi',
      'info',
      'servers',
      'tags',
      'paths',
    ]);
  });

  it('has every controller route, and only those, with its path and query parameters', () => {
    const routes = controllerRoutes();
    const documented = operations(document);
    expect(routes.size).toBe(6);
    expect([...documented.keys()].sort()).toEqual([...routes.values()].sort());
    expect(Object.keys(QUERY_PARAMETERS).sort()).toEqual([...routes.keys()].sort());
    for (const [handler, route] of routes) {
      const operation = documented.get(route)!;
      expect(operation.operationId).toBe(`TraceabilityController_${handler}`);
      expect(operation.tags).toEqual(['traceability']);
      expect(operation.summary).toBeTruthy();
      const inPath = [...route.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(parameters(operation, 'path').map((parameter) => parameter.name)).toEqual(inPath);
      expect(parameters(operation, 'path').every((parameter) => parameter.required)).toBe(true);
      const query = parameters(operation, 'query');
      expect({ handler, query: query.map((parameter) => parameter.name).sort() }).toEqual({
        handler,
        query: QUERY_PARAMETERS[handler],
      });
      expect(query.every((parameter) => parameter.required === false)).toBe(true);
    }
  });

  it('answers 200 with a schema, 400, 500, and 404 on the lot routes; errors are ApiError', () => {
    for (const [route, operation] of operations(document)) {
      const lotRoute = route.includes('{lotId}');
      const statuses = Object.keys(operation.responses).sort();
      expect({ route, statuses }).toEqual({
        route,
        statuses: lotRoute ? ['200', '400', '404', '500'] : ['200', '400', '500'],
      });
      const ok = operation.responses['200'] as { content: Record<string, { schema?: object }> };
      for (const media of Object.values(ok.content)) expect(media.schema).toBeDefined();
      for (const status of statuses.filter((status) => status !== '200')) {
        const error = operation.responses[status] as {
          content: Record<string, { schema: object; example: { code: string } }>;
        };
        // The EPCIS route sets its Content-Type before it runs, so its errors carry it too.
        const mediaType = route.endsWith('/epcis') ? 'application/ld+json' : 'application/json';
        expect(Object.keys(error.content)).toEqual([mediaType]);
        const media = error.content[mediaType];
        expect(media.schema).toEqual({ $ref: '#/components/schemas/ApiError' });
        expect(media.example.code).toMatch(/^[A-Z_]+$/);
      }
    }
  });

  it('gives the enums, defaults and bounds the routes enforce', () => {
    const query = (route: string, name: string) =>
      parameters(operations(document).get(route)!, 'query').find((p) => p.name === name)!.schema;
    const trace = 'GET /api/v1/lots/{lotId}/trace';
    expect(query(trace, 'direction')).toEqual({
      type: 'string',
      enum: ['backward', 'forward'],
      default: 'backward',
    });
    expect(query(trace, 'maxDepth')).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 1000,
    });
    expect(query('GET /api/v1/lots/{lotId}/report', 'format')).toMatchObject({
      enum: ['json', 'csv', 'pdf'],
      default: 'json',
    });
    expect(query('GET /api/v1/gaps', 'status')).toMatchObject({ enum: ['open', 'resolved'] });
    expect(query('GET /api/v1/gaps', 'limit')).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 100,
    });
  });

  it('gives the media types of the report and the EPCIS export', () => {
    const ok = (route: string) =>
      Object.keys(
        (operations(document).get(route)!.responses['200'] as { content: object }).content,
      );
    expect(ok('GET /api/v1/lots/{lotId}/report')).toEqual([
      'application/json',
      'text/csv',
      'application/pdf',
    ]);
    expect(ok('GET /api/v1/lots/{lotId}/epcis')).toEqual(['application/ld+json']);
    expect(ok('GET /api/v1/gaps')).toEqual(['application/json']);
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

  it('documents the lotId rule lotIdParam enforces', () => {
    const lotId = parameters(operations(document).get('GET /api/v1/lots/{lotId}')!, 'path')[0];
    const pattern = new RegExp((lotId.schema as { pattern: string }).pattern);
    const samples = ['LOT-1', 'a', 'x'.repeat(64), 'x'.repeat(65), '-bad', 'A B', 'P01:L/7_a.b'];
    const accepted = (id: string) => {
      try {
        lotIdParam(id);
        return true;
      } catch {
        return false;
      }
    };
    expect(samples.map((id) => pattern.test(id))).toEqual(samples.map(accepted));
  });

  it('describes exactly what the report and EPCIS renderers write (strict: no undeclared field)', () => {
    const conformance = new OpenApiConformance(document);
    for (const report of [
      lotReportFixture,
      receivedLotReportFixture,
      receivedLotWithOrdersFixture,
    ]) {
      expect(conformance.schemaProblems('LotView', report.lot)).toEqual([]);
      expect(conformance.schemaProblems('TraceResult', report.backward)).toEqual([]);
      expect(conformance.schemaProblems('RecallScope', report.recall)).toEqual([]);
      expect(conformance.schemaProblems('LotReport', renderLotReportJson(report))).toEqual([]);
      expect(conformance.schemaProblems('EpcisDocument', buildEpcisDocument(report))).toEqual([]);
    }
    const { holds: _holds, ...header } = lotReportFixture.lot;
    expect(conformance.schemaProblems('LotView', header)).toEqual([
      "(root) must have required property 'holds'",
    ]);
    expect(
      conformance.schemaProblems('LotView', { ...lotReportFixture.lot, plant: undefined }),
    ).toEqual(["(root) must have required property 'plant'"]);
    expect(
      conformance.schemaProblems('TraceNode', { ...lotReportFixture.backward.nodes[0], x: 1 }),
    ).toEqual(['(root) must NOT have additional properties: x']);
  });
});

/**
 * The gateway adds its route-to-role table to each operation (security, x-roles, the roles in
 * the description, 401/403/429 answers; apps/gateway/src/security); the rest must be unchanged.
 */
function withoutGatewaySecurity(item: unknown): unknown {
  if (typeof item !== 'object' || item === null) return item;
  const copy = JSON.parse(JSON.stringify(item)) as Record<string, Record<string, unknown>>;
  for (const operation of Object.values(copy)) {
    delete operation.security;
    delete operation['x-roles'];
    if (typeof operation.description === 'string') {
      const description = operation.description.replace(/\n*Roles: [^\n]*$/, '');
      if (description) operation.description = description;
      else delete operation.description;
    }
    const responses = operation.responses as Record<string, unknown> | undefined;
    for (const status of ['401', '403', '429']) delete responses?.[status];
  }
  return copy;
}
