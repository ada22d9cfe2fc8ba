import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPackageVersion } from '@threadline/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildTraceabilityOpenApi, renderOpenApi } from './openapi';

const root = join(__dirname, '..', '..', '..', '..');

describe('the traceability OpenAPI document', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await buildTraceabilityOpenApi(readPackageVersion());
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

  it('describes every route with its parameters and its answers', () => {
    const routes = Object.fromEntries(
      Object.entries(document.paths).map(([path, item]) => [
        path,
        {
          parameters: (item.get?.parameters ?? [])
            .map((parameter) => ('name' in parameter ? parameter.name : '?'))
            .sort(),
          responses: Object.keys(item.get?.responses ?? {}).sort(),
        },
      ]),
    );
    const lot = ['200', '400', '404'];
    expect(routes).toEqual({
      '/api/v1/lots/{lotId}': { parameters: ['lotId'], responses: lot },
      '/api/v1/lots/{lotId}/trace': {
        parameters: ['direction', 'lotId', 'maxDepth'],
        responses: lot,
      },
      '/api/v1/lots/{lotId}/recall-scope': { parameters: ['lotId'], responses: lot },
      '/api/v1/lots/{lotId}/report': { parameters: ['format', 'lotId'], responses: lot },
      '/api/v1/lots/{lotId}/epcis': { parameters: ['lotId'], responses: lot },
      '/api/v1/gaps': { parameters: ['limit', 'status'], responses: ['200', '400'] },
    });
  });

  it('gives the enums and bounds the routes enforce', () => {
    const trace = document.paths['/api/v1/lots/{lotId}/trace'].get!;
    const parameter = (name: string) =>
      trace.parameters!.find((p) => 'name' in p && p.name === name) as { schema: unknown };
    expect(parameter('direction').schema).toMatchObject({ enum: ['backward', 'forward'] });
    expect(parameter('maxDepth').schema).toMatchObject({ minimum: 1, maximum: 1000 });
    const report = document.paths['/api/v1/lots/{lotId}/report'].get!;
    const ok = report.responses['200'] as { content?: Record<string, unknown> };
    expect(Object.keys(ok.content ?? {})).toEqual(
      expect.arrayContaining(['application/json', 'text/csv', 'application/pdf']),
    );
  });
});
