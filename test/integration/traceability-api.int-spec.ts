import { createMemoryIo } from '../../apps/threadline/src/cli/cli-io';
import { runCli } from '../../apps/threadline/src/cli/program';
import { lotEvents as e } from '@threadline/testing';
import { readPackageVersion } from '@threadline/core';
import {
  buildTraceabilityOpenApi,
  renderOpenApi,
  type RecallScope,
  type TraceResult,
} from '@threadline/traceability';
import type * as Epcis2 from 'epcis2.js/@types/epcis2.js';
import { TraceabilityHarness } from '../support/traceability-harness';

const { validateEpcisDocument } = jest.requireActual<typeof Epcis2>('epcis2.js');

describe('traceability query API and CLI (RabbitMQ, PostgreSQL)', () => {
  let h: TraceabilityHarness;
  beforeAll(async () => {
    h = await TraceabilityHarness.start('rabbitmq+postgres');
    await h.apply(
      e.received('A-RAW', 'RESIN', 0),
      e.consumed('A-O1', 'A-RAW', 25, 10),
      e.operationCompleted('A-O1', 12, { torqueNm: 11.8 }),
      e.declared('A-O1', 'A-FG', 'HOUSING', 200, 13),
      e.holdPlaced('HOLD-A', ['A-FG'], 20),
      e.holdReleased('HOLD-A', ['A-FG'], 30),
      e.shipped('SHP-A', 'CUST-A', [['A-FG', 150]], 60),
      // A second stage, two links from A-RAW: its order is on no timeline of A-RAW.
      e.consumed('A-O2', 'A-FG', 20, 70),
      e.declared('A-O2', 'A-KIT', 'KIT', 20, 71),
    );
  });
  afterAll(() => h?.close());

  describe('HTTP /api/v1', () => {
    it('answers a lot with its status, holds and timeline', async () => {
      const { status, body } = await h.getJson<{
        lotId: string;
        holds: unknown[];
        timeline: unknown[];
      }>('/api/v1/lots/A-FG');
      expect(status).toBe(200);
      expect(body.lotId).toBe('A-FG');
      expect(body.holds).toHaveLength(1);
      expect(body.timeline.length).toBeGreaterThanOrEqual(4);
    });

    it('traces both ways with the documented shape', async () => {
      const backward = await h.getJson<TraceResult>('/api/v1/lots/A-FG/trace?direction=backward');
      expect(backward.status).toBe(200);
      expect(backward.body).toEqual({
        root: 'A-FG',
        direction: 'backward',
        nodes: [
          { lotId: 'A-FG', materialId: 'HOUSING', status: null, depth: 0 },
          { lotId: 'A-RAW', materialId: 'RESIN', status: null, depth: 1 },
        ],
        edges: [{ from: 'A-RAW', to: 'A-FG', orderId: 'A-O1', quantity: { value: 25, uom: 'kg' } }],
      });
      const forward = await h.getJson<TraceResult>(
        '/api/v1/lots/A-RAW/trace?direction=forward&maxDepth=1',
      );
      expect(forward.body.nodes.map((node) => node.lotId)).toEqual(['A-RAW', 'A-FG']);
    });

    it('answers the recall scope', async () => {
      const { status, body } = await h.getJson<RecallScope>('/api/v1/lots/A-RAW/recall-scope');
      expect(status).toBe(200);
      expect(body).toMatchObject({
        lotId: 'A-RAW',
        affectedLots: ['A-FG', 'A-KIT', 'A-RAW'],
        onHand: ['A-KIT', 'A-RAW'],
        customers: ['CUST-A'],
        shipments: [
          {
            shipmentId: 'SHP-A',
            customerId: 'CUST-A',
            lotId: 'A-FG',
            quantity: { value: 150, uom: 'kg' },
          },
        ],
      });
    });

    it('serves the report as JSON, CSV and PDF, and the EPCIS document', async () => {
      const json = await h.get('/api/v1/lots/A-FG/report');
      expect(json.status).toBe(200);
      expect(json.type).toContain('application/json');
      expect(json.body).toContain('SHP-A');
      const csv = await h.get('/api/v1/lots/A-FG/report?format=csv');
      expect(csv.type).toContain('text/csv');
      expect(csv.body).toContain('SHP-A');
      expect(csv.body).toContain('Ana Ruiz');
      const pdf = await h.get('/api/v1/lots/A-FG/report?format=pdf');
      expect(pdf.type).toContain('application/pdf');
      expect(pdf.body.startsWith('%PDF-')).toBe(true);
      const epcis = await h.get('/api/v1/lots/A-RAW/epcis');
      expect(epcis.type).toContain('application/ld+json');
      const document = JSON.parse(epcis.body) as {
        type: string;
        epcisBody: { eventList: { type: string; transformationID?: string }[] };
      };
      expect(validateEpcisDocument(document, false)).toEqual({ success: true, errors: [] });
      const transformations = document.epcisBody.eventList
        .filter((event) => event.type === 'TransformationEvent')
        .map((event) => event.transformationID);
      expect(transformations.sort()).toEqual([
        'urn:threadline:order:A-O1',
        'urn:threadline:order:A-O2',
      ]);
    });

    it.each([
      ['/api/v1/lots/NOPE', 404, 'LOT_NOT_FOUND', "lot 'NOPE' is not known"],
      ['/api/v1/lots/NOPE/trace', 404, 'LOT_NOT_FOUND', "lot 'NOPE'"],
      [
        '/api/v1/lots/A-FG/trace?direction=sideways',
        400,
        'INVALID_QUERY',
        'direction: must be one of backward, forward',
      ],
      [
        '/api/v1/lots/A-FG/trace?maxDepth=0',
        400,
        'INVALID_QUERY',
        'maxDepth: must be a whole number from 1',
      ],
      ['/api/v1/lots/A-FG/trace?depth=3', 400, 'INVALID_QUERY', 'depth: unknown query parameter'],
      [
        '/api/v1/lots/A-FG/report?format=docx',
        400,
        'INVALID_QUERY',
        'format: must be one of json, csv, pdf',
      ],
      ['/api/v1/lots/-bad/recall-scope', 400, 'INVALID_QUERY', 'lotId: must be an Id'],
      ['/api/v1/gaps?status=closed', 400, 'INVALID_QUERY', 'status: must be one of open, resolved'],
      ['/api/v1/nowhere', 404, 'NOT_FOUND', ''],
    ])('%s: %i %s', async (path, status, code, message) => {
      const response = await h.getJson<{ code: string; message: string }>(path);
      expect(response.status).toBe(status);
      expect(response.body.code).toBe(code);
      expect(response.body.message).toContain(message);
      expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    });

    it('serves its OpenAPI document, the one generated from its routes, and the Swagger UI', async () => {
      // docs/openapi.json is the gateway's document, which holds this one path for path
      // (libs/traceability/src/api/openapi.spec.ts checks that).
      const served = await h.getJson<unknown>('/docs/openapi.json');
      expect(served.status).toBe(200);
      const generated = JSON.parse(
        renderOpenApi(await buildTraceabilityOpenApi(readPackageVersion())),
      ) as unknown;
      expect(served.body).toEqual(generated);
      const ui = await h.get('/docs');
      expect(ui.status).toBe(200);
      expect(ui.type).toContain('text/html');
    });

    it('lists gaps', async () => {
      const { status, body } = await h.getJson<{ items: unknown[] }>(
        '/api/v1/gaps?status=open&limit=10',
      );
      expect(status).toBe(200);
      expect(Array.isArray(body.items)).toBe(true);
    });
  });

  describe('CLI', () => {
    const cli = async (...argv: string[]) => {
      const io = createMemoryIo('', { ...h.databaseEnv });
      const code = await runCli(argv, io.io);
      return { code, out: io.stdout(), err: io.stderr() };
    };

    it('trace prints a readable table, backward by default', async () => {
      const { code, out } = await cli('trace', 'A-FG');
      expect(code).toBe(0);
      expect(out).toContain('A-FG: 1 lots it came from, 1 links');
      expect(out).toMatch(/^1\s+A-RAW\s+RESIN\s+-\s+A-FG \(A-O1\)$/m);
    });

    it('trace --forward --json prints the API JSON', async () => {
      const { code, out } = await cli('trace', 'A-RAW', '--forward', '--json');
      expect(code).toBe(0);
      const result = JSON.parse(out) as TraceResult;
      expect(result.nodes.map((node) => node.lotId)).toEqual(['A-RAW', 'A-FG', 'A-KIT']);
    });

    it('recall prints what is on hand and where it went', async () => {
      const { code, out } = await cli('recall', 'A-RAW');
      expect(code).toBe(0);
      expect(out).toContain('A-RAW: 3 affected lots, 2 on hand, 1 shipment lines to 1 customers');
      expect(out).toMatch(/^SHP-A\s+CUST-A\s+A-FG\s+150 kg/m);
      const json = JSON.parse((await cli('recall', 'A-RAW', '--json')).out) as RecallScope;
      expect(json.customers).toEqual(['CUST-A']);
    });

    it('an unknown lot is exit 1 with a message; contradictory options exit 2', async () => {
      const unknown = await cli('trace', 'NOPE');
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain("lot 'NOPE' is not known");
      const both = await cli('trace', 'A-FG', '--forward', '--backward');
      expect(both.code).toBe(2);
      expect(both.err).toContain('--forward and --backward');
    });
  });
});
