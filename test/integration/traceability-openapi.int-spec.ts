import type { OpenAPIObject, ParameterObject, SchemaObject } from '@nestjs/swagger';
import { readPackageVersion } from '@threadline/core';
import { at, lotEvents as e } from '@threadline/testing';
import {
  buildTraceabilityOpenApi,
  OpenApiConformance,
  type HttpAnswer,
} from '@threadline/traceability';
import { TraceabilityHarness } from '../support/traceability-harness';

describe('the traceability OpenAPI document as the service serves it (in-memory, SQLite)', () => {
  let h: TraceabilityHarness;
  let generated: OpenAPIObject;
  let conformance: OpenApiConformance;

  beforeAll(async () => {
    h = await TraceabilityHarness.start('in-memory+sqlite');
    generated = await buildTraceabilityOpenApi(readPackageVersion());
    conformance = new OpenApiConformance(generated);
    await h.apply(
      e.received('O-RAW', 'RESIN', 0),
      e.inspectionLotCreated('IL-O', 'O-RAW', 1),
      e.consumed('O-O1', 'O-RAW', 25, 10),
      e.operationCompleted('O-O1', 12, { torqueNm: 11.8 }),
      e.declared('O-O1', 'O-FG', 'HOUSING', 200, 13),
      e.orderCompleted('O-O1', 14),
      e.ncRaised('NCR-O', ['O-FG'], 15),
      e.holdPlaced('HOLD-O', ['O-FG'], 16, 'NCR-O'),
      e.ncDispositioned('NCR-O', 20),
      e.holdReleased('HOLD-O', ['O-FG'], 30),
      e.statusChanged('O-FG', 'unrestricted', 31),
      e.shipped('SHP-O', 'CUST-O', [['O-FG', 150]], 60),
      e.consumed('O-O2', 'O-FG', 20, 70),
      e.declared('O-O2', 'O-KIT', 'KIT', 20, 71),
      // Gaps: an output nothing was consumed for, a resin receipt never inspected.
      e.declared('O-O3', 'O-ORPHAN', 'KIT', 5, 72),
      e.received('O-RESIN2', 'RESIN', 73),
    );
    await h.lifecycle.gapSweeper.sweep(new Date(at(180)));
  });
  afterAll(() => h?.close());

  async function answer(url: string): Promise<HttpAnswer> {
    const response = await fetch(`${h.apiUrl}${url}`);
    const contentType = response.headers.get('content-type') ?? '';
    const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
    const body: unknown = /json/.test(contentType) ? JSON.parse(text) : text;
    return { method: 'GET', url, status: response.status, contentType, body };
  }

  it('serves at /docs/openapi.json the document npm run gen:openapi generates', async () => {
    const served = await answer('/docs/openapi.json');
    expect(served.status).toBe(200);
    expect(served.contentType).toMatch(/^application\/json/);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(generated)));
  });

  it('serves the Swagger UI at /docs with every asset from the service itself', async () => {
    const page = await answer('/docs');
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    const assets = [...String(page.body).matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining(['./docs/swagger-ui-bundle.js']));
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const served = await fetch(new URL(asset, `${h.apiUrl}/docs`));
      expect({ asset, status: served.status }).toEqual({ asset, status: 200 });
      expect((await served.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    const init = await answer('/docs/swagger-ui-init.js');
    expect(init.body).toContain('Threadline traceability API');
  });

  it('answers every route, and its errors, as the document says, field for field', async () => {
    const urls = [
      '/api/v1/lots/O-FG',
      '/api/v1/lots/O-RAW',
      '/api/v1/lots/O-KIT',
      '/api/v1/lots/O-FG/trace',
      '/api/v1/lots/O-RAW/trace?direction=forward&maxDepth=1',
      '/api/v1/lots/O-FG/recall-scope',
      '/api/v1/lots/O-FG/report',
      '/api/v1/lots/O-RAW/report?format=json',
      '/api/v1/lots/O-FG/report?format=csv',
      '/api/v1/lots/O-FG/report?format=pdf',
      '/api/v1/lots/O-FG/epcis',
      '/api/v1/lots/O-RAW/epcis',
      '/api/v1/gaps',
      '/api/v1/gaps?status=open&limit=1',
      '/api/v1/lots/NOPE',
      '/api/v1/lots/NOPE/trace',
      '/api/v1/lots/NOPE/recall-scope',
      '/api/v1/lots/NOPE/report?format=pdf',
      '/api/v1/lots/NOPE/epcis',
      '/api/v1/lots/-bad',
      '/api/v1/lots/O-FG/trace?direction=sideways',
      '/api/v1/lots/O-FG/report?format=docx',
      '/api/v1/lots/O-FG/epcis?pretty=1',
      '/api/v1/gaps?limit=0',
    ];
    const answers = await Promise.all(urls.map(answer));
    expect(answers.map((a) => `${a.url} ${a.status}`)).toEqual(
      urls.map(
        (url) =>
          `${url} ${/NOPE/.test(url) ? 404 : /bad|sideways|docx|pretty|=0/.test(url) ? 400 : 200}`,
      ),
    );
    expect(answers.flatMap((a) => conformance.answerProblems(a))).toEqual([]);
    // The answers exercise the schemas: nulls and values, holds, gaps, timeline facts.
    const gaps = answers.find((a) => a.url === '/api/v1/gaps')!.body as { items: unknown[] };
    expect(gaps.items.length).toBeGreaterThanOrEqual(2);
    const report = answers.find((a) => a.url === '/api/v1/lots/O-FG/report')!.body as {
      holds: unknown[];
      dispositions: unknown[];
    };
    expect([report.holds.length, report.dispositions.length]).toEqual([1, 1]);
  });

  it('takes every documented query parameter at its bounds and refuses it past them', async () => {
    for (const [path, item] of Object.entries(generated.paths)) {
      const url = path.replace('{lotId}', 'O-FG');
      const query = (item.get!.parameters as ParameterObject[]).filter((p) => p.in === 'query');
      for (const parameter of query) {
        const schema = parameter.schema as SchemaObject;
        const valid = schema.enum ?? [schema.minimum, schema.maximum];
        const invalid = schema.enum
          ? ['no-such-value']
          : [schema.minimum! - 1, schema.maximum! + 1];
        for (const value of valid) {
          const { status } = await answer(`${url}?${parameter.name}=${String(value)}`);
          expect({ url, parameter: parameter.name, value, status }).toMatchObject({ status: 200 });
        }
        for (const value of invalid) {
          const refused = await answer(`${url}?${parameter.name}=${String(value)}`);
          expect({ url, value, status: refused.status }).toMatchObject({ status: 400 });
          expect(refused.body).toMatchObject({ code: 'INVALID_QUERY' });
          expect((refused.body as { message: string }).message).toMatch(
            new RegExp(`^${parameter.name}: `),
          );
        }
      }
    }
  });
});
