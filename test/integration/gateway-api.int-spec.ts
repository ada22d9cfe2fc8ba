import { randomUUID } from 'node:crypto';
import { metricValue } from '../support/metric-value';
import { buildGatewayOpenApi } from '@threadline/app-gateway';
import { readPackageVersion } from '@threadline/core';
import { Header, consumerQueueNames } from '@threadline/messaging';
import { FlowInstance, FlowStep } from '@threadline/persistence';
import { conformanceScript, eventually, nonconformanceRaised } from '@threadline/testing';
import { OpenApiConformance, renderOpenApi } from '@threadline/traceability';
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  CONNECTOR_SECRETS,
  GatewayHarness,
  testToken,
  type GatewayStack,
} from '../support/gateway-harness';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
  next: string | null;
}
interface Flow {
  id: string;
  type: string;
  state: string;
  subject: string;
  correlationId: string;
  startedAt: string;
  steps?: { name: string; state: string; at: string; detail: unknown }[];
}

const T0 = Date.parse('2026-05-14T08:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describe.each<GatewayStack>(['rabbitmq+postgres', 'in-memory+sqlite'])(
  'gateway API (%s)',
  (stack) => {
    let h: GatewayHarness;
    let document: OpenAPIObject;
    let conformance: OpenApiConformance;
    const answers: {
      method: string;
      url: string;
      status: number;
      contentType: string;
      body: unknown;
    }[] = [];

    /** A GET whose answer is also checked against the OpenAPI document at the end. */
    const get = async <T>(path: string) => {
      const answer = await h.get<T>(path);
      answers.push({
        method: 'GET',
        url: path,
        status: answer.status,
        contentType: answer.type,
        body: answer.body,
      });
      return answer;
    };

    beforeAll(async () => {
      h = await GatewayHarness.start(stack);
      document = await buildGatewayOpenApi(readPackageVersion());
      conformance = new OpenApiConformance(document);
    });
    afterAll(() => h?.close());

    it('is healthy with the broker and the database up', async () => {
      const { status, body } = await get('/health');
      expect(status).toBe(200);
      expect(body).toEqual({
        status: 'up',
        components: [
          {
            name: `broker (${stack === 'rabbitmq+postgres' ? 'rabbitmq' : 'in-memory'})`,
            state: 'up',
          },
          { name: 'database', state: 'up' },
        ],
      });
    });

    it('serves the Swagger UI at /docs and, at /docs/openapi.json, the document gen:openapi writes', async () => {
      const ui = await h.get('/docs');
      expect(ui.status).toBe(200);
      expect(ui.type).toContain('text/html');
      const served = await h.get('/docs/openapi.json');
      expect(served.status).toBe(200);
      expect(renderOpenApi(served.body as OpenAPIObject)).toBe(renderOpenApi(document));
    });

    describe('flows', () => {
      const ids = { nc1: randomUUID(), nc2: randomUUID(), inspection: randomUUID() };
      beforeAll(async () => {
        const flows = h.runtime.dataSource.getRepository(FlowInstance);
        const flow = (
          id: string,
          type: string,
          subject: string,
          state: FlowInstance['state'],
          started: number,
        ) =>
          Object.assign(new FlowInstance(), {
            id,
            type,
            subject,
            plant: 'P01',
            correlationId: `corr-${subject}`,
            state,
            cursor: 0,
            currentStep: state === 'running' ? 'await-disposition' : null,
            context: { ncrId: subject },
            startedAt: at(started),
            updatedAt: at(started + 5),
            version: 1,
          });
        await flows.save([
          flow(ids.nc1, 'nc-containment', 'NCR-1', 'completed', 0),
          flow(ids.nc2, 'nc-containment', 'NCR-2', 'running', 10),
          flow(ids.inspection, 'incoming-inspection', 'LOT-9', 'escalated', 20),
        ]);
        const step = (
          seq: number,
          name: string,
          state: string,
          seconds: number,
          detail: Record<string, unknown> | null,
        ) =>
          Object.assign(new FlowStep(), {
            flowId: ids.nc1,
            seq,
            name,
            state,
            at: at(seconds),
            detail,
          });
        // Saved out of order: the timeline is by seq.
        await h.runtime.dataSource
          .getRepository(FlowStep)
          .save([
            step(2, 'place-hold', 'answered', 2, { holdId: 'HOLD-1' }),
            step(1, 'place-hold', 'sent', 1, { lots: ['LOT-1'] }),
            step(3, 'complete', 'completed', 3, null),
          ]);
      });

      it('lists newest first, pages with limit and cursor, and filters', async () => {
        const first = await get<Page<Flow>>('/api/v1/flows?limit=2');
        expect(first.status).toBe(200);
        expect(first.body.items.map((f) => f.id)).toEqual([ids.inspection, ids.nc2]);
        expect(first.body.nextCursor).toEqual(expect.any(String));
        expect(first.body.next).toBe(`/api/v1/flows?limit=2&cursor=${first.body.nextCursor}`);
        const second = await get<Page<Flow>>(first.body.next!);
        expect(second.body).toMatchObject({ nextCursor: null, next: null });
        expect(second.body.items.map((f) => f.id)).toEqual([ids.nc1]);
        expect(second.body.items[0]).toEqual({
          id: ids.nc1,
          type: 'nc-containment',
          state: 'completed',
          subject: 'NCR-1',
          plant: 'P01',
          correlationId: 'corr-NCR-1',
          currentStep: null,
          startedAt: at(0).toISOString(),
          updatedAt: at(5).toISOString(),
        });

        const byType = await get<Page<Flow>>('/api/v1/flows?type=nc-containment');
        expect(byType.body.items.map((f) => f.id)).toEqual([ids.nc2, ids.nc1]);
        const byState = await get<Page<Flow>>('/api/v1/flows?state=escalated');
        expect(byState.body.items.map((f) => f.id)).toEqual([ids.inspection]);
        const bySubject = await get<Page<Flow>>('/api/v1/flows?subject=NCR-2&type=nc-containment');
        expect(bySubject.body.items.map((f) => f.id)).toEqual([ids.nc2]);
        const paged = await get<Page<Flow>>('/api/v1/flows?type=nc-containment&limit=1');
        expect(paged.body.next).toContain('type=nc-containment');
        const rest = await get<Page<Flow>>(paged.body.next!);
        expect(rest.body.items.map((f) => f.id)).toEqual([ids.nc1]);
      });

      it('answers one flow with its steps in timeline order', async () => {
        const { status, body } = await get<Flow>(`/api/v1/flows/${ids.nc1}`);
        expect(status).toBe(200);
        expect(body).toMatchObject({
          id: ids.nc1,
          type: 'nc-containment',
          state: 'completed',
          subject: 'NCR-1',
        });
        expect(body.steps).toEqual([
          {
            name: 'place-hold',
            state: 'sent',
            at: at(1).toISOString(),
            detail: { lots: ['LOT-1'] },
          },
          {
            name: 'place-hold',
            state: 'answered',
            at: at(2).toISOString(),
            detail: { holdId: 'HOLD-1' },
          },
          { name: 'complete', state: 'completed', at: at(3).toISOString(), detail: null },
        ]);
      });

      it('answers 404 for an unknown flow and 400 naming the field for bad parameters', async () => {
        const missing = await get(`/api/v1/flows/${randomUUID()}`);
        expect(missing.status).toBe(404);
        expect(missing.body).toEqual({
          code: 'FLOW_NOT_FOUND',
          message: expect.stringMatching(/^flow '.+' is not known$/),
        });
        const cases: [string, string][] = [
          [
            '/api/v1/flows?state=paused',
            'state: must be one of running, escalated, completed, failed',
          ],
          ['/api/v1/flows?limit=0', 'limit: must be a whole number from 1 to 500'],
          ['/api/v1/flows?limit=ten', 'limit: must be a whole number from 1 to 500'],
          ['/api/v1/flows?cursor=bm9wZQ', "cursor: must be a page's nextCursor, unchanged"],
          [
            '/api/v1/flows?typo=1',
            'typo: unknown query parameter; known: type, state, subject, correlationId, limit, cursor',
          ],
          ['/api/v1/flows?type=a&type=b', 'type: must be given once'],
          [
            '/api/v1/flows/bad%20id',
            'id: 1-36 of A-Z a-z 0-9 . _ : - starting with a letter or digit',
          ],
        ];
        for (const [path, message] of cases) {
          const answer = await get(path);
          expect({ path, status: answer.status, body: answer.body }).toEqual({
            path,
            status: 400,
            body: { code: 'INVALID_QUERY', message },
          });
        }
      });
    });

    describe('events', () => {
      const correlationid = randomUUID();
      const events = [2, 0, 1, 3].map((seconds) =>
        nonconformanceRaised({ correlationid, subject: 'NCR-EV', time: at(seconds).toISOString() }),
      );
      beforeAll(async () => {
        await h.runtime.publisher.publish(...events);
        await h.runtime.publisher.publish(nonconformanceRaised({ subject: 'NCR-OTHER' }));
        await eventually(async () => {
          const page = await h.get<Page<unknown>>(`/api/v1/events?correlationId=${correlationid}`);
          return page.body.items.length === 4;
        }, 'four events in the event log');
      });

      it("answers a business transaction's events in time order, page by page", async () => {
        const inOrder = [...events].sort((a, b) => a.time.localeCompare(b.time)).map((e) => e.id);
        const first = await get<
          Page<{ id: string; time: string; correlationId: string; data: unknown }>
        >(`/api/v1/events?correlationId=${correlationid}&limit=3`);
        expect(first.status).toBe(200);
        expect(first.body.items.map((e) => e.id)).toEqual(inOrder.slice(0, 3));
        expect(first.body.items[0]).toMatchObject({
          type: 'quality.nonconformance.raised',
          time: at(0).toISOString(),
          subject: 'NCR-EV',
          correlationId: correlationid,
          causationId: null,
          plant: 'P01',
          data: events[1].data,
        });
        const second = await get<Page<{ id: string }>>(first.body.next!);
        expect(second.body.items.map((e) => e.id)).toEqual(inOrder.slice(3));
        expect(second.body.nextCursor).toBeNull();
        const bySubject = await get<Page<{ id: string }>>('/api/v1/events?subject=NCR-EV');
        expect(bySubject.body.items.map((e) => e.id)).toEqual(inOrder);
      });

      it('replays a transaction to the consumers, who drop what they had; audited first', async () => {
        const operator = {
          authorization: `Bearer ${await testToken(['operator'], { sub: 'ops.oliver' })}`,
          'content-type': 'application/json',
          'x-threadline-reason': 'event-log check after the outage',
        };
        const duplicates = () =>
          metricValue(h.runtime.metrics!.messagesConsumed, {
            service: 'event-log',
            outcome: 'duplicate',
          });
        const before = await duplicates();
        const answer = await h.post<{ replayed: number; ids: string[] }>(
          '/api/v1/events/replay',
          JSON.stringify({ correlationId: correlationid }),
          operator,
        );
        expect(answer.status).toBe(200);
        const inOrder = [...events].sort((a, b) => a.time.localeCompare(b.time)).map((e) => e.id);
        expect(answer.body).toEqual({ replayed: 4, ids: inOrder });
        expect(conformance.schemaProblems('Replay', answer.body)).toEqual([]);
        // The event log had all four: each came again and was dropped as a duplicate.
        await eventually(async () => (await duplicates()) - before === 4, 'four duplicates');
        const page = await get<Page<unknown>>(`/api/v1/events?correlationId=${correlationid}`);
        expect(page.body.items).toHaveLength(4);
        const p = stack === 'rabbitmq+postgres' ? '$1' : '?';
        const audit: { actor_id: string; action: string; subject: string; reason: string }[] =
          await h.runtime.dataSource.query(
            `SELECT actor_id, action, subject, reason FROM audit_entry WHERE subject = ${p}`,
            [correlationid],
          );
        expect(audit).toEqual([
          {
            actor_id: 'ops.oliver',
            action: 'replay',
            subject: correlationid,
            reason: 'event-log check after the outage',
          },
        ]);
      });

      it('refuses a replay without why, of nothing, or of unknown events, naming the field', async () => {
        const operator = {
          authorization: `Bearer ${await testToken(['operator'])}`,
          'content-type': 'application/json',
        };
        const withReason = { ...operator, 'x-threadline-reason': 'check' };
        const cases: [Record<string, string>, unknown, number, string][] = [
          [operator, { ids: [events[0].id] }, 400, 'X-Threadline-Reason: header is required'],
          [withReason, {}, 400, 'ids: must be 1-1000 event ids'],
          [withReason, { ids: [events[0].id], correlationId: 'c' }, 400, 'ids: ids and'],
          [withReason, { all: true }, 400, 'all: unknown field'],
          [withReason, { ids: ['no-such-event'] }, 404, 'no such event'],
        ];
        for (const [given, body, status, message] of cases) {
          const answer = await h.post<{ code: string; message: string }>(
            '/api/v1/events/replay',
            JSON.stringify(body),
            given,
          );
          expect({ body, status: answer.status }).toEqual({ body, status });
          expect(answer.body.message).toContain(message);
        }
      });

      it('needs correlationId or subject', async () => {
        const answer = await get('/api/v1/events');
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({
          code: 'INVALID_QUERY',
          message: 'correlationId: correlationId or subject is required',
        });
        const long = await get(`/api/v1/events?subject=${'x'.repeat(129)}`);
        expect(long.body).toEqual({
          code: 'INVALID_QUERY',
          message: 'subject: must be 1-128 characters without control characters',
        });
      });
    });

    describe('dead-letter queues', () => {
      const dlq = consumerQueueNames(
        GatewayHarness.FAILING_SERVICE,
        'events',
        [50],
      ).deadLetterQueue;
      const poisoned = nonconformanceRaised({ subject: 'NCR-POISON' });
      // The actor is the authenticated operator (issue #8), no longer a header.
      const headers: Record<string, string> = { 'X-Threadline-Reason': 'handler fixed' };
      beforeAll(async () => {
        headers.authorization = `Bearer ${await testToken(['operator'], { sub: 'qa.engineer' })}`;
        conformanceScript.set(poisoned.idempotencykey, { kind: 'fail-permanently' });
        await h.runtime.publisher.publish(poisoned);
        await eventually(
          async () => (await h.runtime.driver.queueDepth(dlq)) === 1,
          'one dead letter',
        );
      });

      it('lists the queues with their depth and the dead letter with its reason', async () => {
        const queues = await get<Page<{ queue: string; depth: number }>>('/api/v1/dlq');
        expect(queues.status).toBe(200);
        expect(queues.body.items).toContainEqual({ queue: dlq, depth: 1 });
        expect(queues.body.items.every((q) => q.queue.endsWith('.dlq'))).toBe(true);
        const messages = await get<
          Page<{
            messageId: string;
            routingKey: string;
            headers: Record<string, unknown>;
            body: string;
          }>
        >(`/api/v1/dlq/${dlq}/messages`);
        expect(messages.status).toBe(200);
        expect(messages.body.items).toHaveLength(1);
        expect(messages.body.items[0]).toMatchObject({
          messageId: poisoned.id,
        });
        expect(messages.body.items[0].headers[Header.ErrorKind]).toBe('handler');
        expect(JSON.parse(messages.body.items[0].body)).toMatchObject({ id: poisoned.id });
      });

      it('refuses a re-drive without who and why, or without a clear selection, naming the field', async () => {
        const cases: [Record<string, string>, string, string][] = [
          [
            { authorization: headers.authorization },
            '{"all":true}',
            'X-Threadline-Reason: header is required (recorded with the re-drive)',
          ],
          [
            { ...headers, 'X-Threadline-Actor': 'qa' },
            '{"all":true}',
            'X-Threadline-Actor: not accepted: the actor is the authenticated caller',
          ],
          [headers, '{}', 'ids: say which messages: ids, or all: true'],
          [headers, '{"all":true,"ids":["a"]}', 'ids: ids and all exclude each other'],
          [headers, '{"ids":[]}', 'ids: must be 1-1000 message ids (strings of 1-256 characters)'],
          [headers, '{"ids":["a"],"force":true}', 'force: unknown field; known: ids, all'],
          [headers, '{not json', 'body: must be valid JSON'],
        ];
        for (const [given, body, message] of cases) {
          const answer = await h.post(`/api/v1/dlq/${dlq}/redrive`, body, given);
          expect({ body, status: answer.status, answer: answer.body }).toEqual({
            body,
            status: 400,
            answer: { code: 'INVALID_REQUEST', message },
          });
        }
        const unknown = await h.post(
          '/api/v1/dlq/threadline.nobody.events.dlq/redrive',
          '{"all":true}',
          headers,
        );
        expect(unknown).toEqual({
          status: 404,
          body: {
            code: 'QUEUE_NOT_FOUND',
            message: "queue 'threadline.nobody.events.dlq' does not exist",
          },
        });
        const notDlq = await get('/api/v1/dlq/threadline.event-log.events/messages');
        expect(notDlq.body).toEqual({
          code: 'INVALID_QUERY',
          message: 'queue: must be a dead-letter queue (names end in .dlq)',
        });
        expect(await h.runtime.driver.queueDepth(dlq)).toBe(1);
      });

      it('re-drives the dead letter on record, and it is handled', async () => {
        conformanceScript.set(poisoned.idempotencykey, { kind: 'ok' });
        const answer = await h.post<{
          moved: number;
          movedIds: string[];
          missingIds: string[];
          actionId: string;
        }>(
          `/api/v1/dlq/${dlq}/redrive`,
          JSON.stringify({ ids: [poisoned.id, 'not-there'] }),
          headers,
        );
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({
          queue: dlq,
          moved: 1,
          movedIds: [poisoned.id],
          missingIds: ['not-there'],
          actionId: expect.any(String),
        });
        expect(conformance.schemaProblems('Redrive', answer.body)).toEqual([]);
        await eventually(
          async () => (await h.runtime.driver.queueDepth(dlq)) === 0,
          'the DLQ empty',
        );
        const p = stack === 'rabbitmq+postgres' ? '$1' : '?';
        let effects = -1;
        await eventually(async () => {
          const rows: { n: number | string }[] = await h.runtime.dataSource.query(
            `SELECT COUNT(*) AS n FROM conformance_effect WHERE idempotency_key = ${p}`,
            [poisoned.idempotencykey],
          );
          effects = Number(rows[0].n);
          // The failed attempts rolled back their effect; the re-driven one commits it.
          return effects === 1;
        }, 'the re-driven message handled').catch((error: Error) => {
          throw new Error(`${error.message} (effects: ${effects})`);
        });
        const actions: {
          queue: string;
          action: string;
          message_ids: string;
          count: number;
          actor: string;
          reason: string;
        }[] = await h.runtime.dataSource.query(
          `SELECT queue, action, message_ids, count, actor, reason FROM dlq_action WHERE id = ${p}`,
          [answer.body.actionId],
        );
        expect(actions).toEqual([
          {
            queue: dlq,
            action: 'redrive',
            message_ids: JSON.stringify([poisoned.id]),
            count: 1,
            actor: 'qa.engineer',
            reason: 'handler fixed',
          },
        ]);
      });
    });

    describe('connectors', () => {
      it("lists each connector's targets and health, with no secret, probing at most once a while", async () => {
        const { status, body, text } = await get<
          Page<{
            name: string;
            system: string;
            targets: { kind: string; url: string }[];
            health: { state: string; status: number | null };
          }> & {
            problems: string[];
          }
        >('/api/v1/connectors');
        expect(status).toBe(200);
        const byName = new Map(body.items.map((c) => [c.name, c]));
        expect([...byName.keys()]).toEqual(['cmms', 'erp-sap', 'mes', 'plc-line-1', 'qms']);
        expect(byName.get('erp-sap')).toMatchObject({
          system: 'erp',
          targets: [{ kind: 'http', url: `${process.env.SIM_URL}/sap/opu/odata/sap` }],
          health: {
            state: 'up',
            status: 200,
            probe: `${process.env.SIM_URL}/sap/opu/odata/sap/ZTL_BATCH_STOCK_SRV/`,
          },
        });
        expect(byName.get('mes')!.health).toMatchObject({ state: 'down', status: 503 });
        expect(byName.get('plc-line-1')!.health.state).toBe('unchecked');
        expect(
          byName
            .get('plc-line-1')!
            .targets.map((t) => t.kind)
            .sort(),
        ).toEqual(['modbus', 'opcua']);
        expect(body.problems.length).toBeGreaterThan(0);
        expect(body.problems.every((problem) => problem.includes('broken.yaml'))).toBe(true);
        for (const secret of Object.values(CONNECTOR_SECRETS)) expect(text).not.toContain(secret);

        const probes = h.targetProbes.length;
        expect(probes).toBe(4);
        const again = await get<Page<{ name: string }>>('/api/v1/connectors?limit=2');
        expect(again.body.items.map((c) => c.name)).toEqual(['cmms', 'erp-sap']);
        const rest = await get<Page<{ name: string }>>(again.body.next!);
        expect(rest.body.items.map((c) => c.name)).toEqual(['mes', 'plc-line-1']);
        expect(h.targetProbes.length).toBe(probes);
      });
    });

    it('mounts the traceability routes', async () => {
      const gaps = await get('/api/v1/gaps?status=open');
      expect(gaps).toMatchObject({ status: 200, body: { items: [] } });
      const lot = await get('/api/v1/lots/NO-SUCH-LOT');
      expect(lot).toMatchObject({ status: 404, body: { code: 'LOT_NOT_FOUND' } });
    });

    it('serves the metrics of the runtime', async () => {
      const { status, type, text } = await get('/metrics');
      expect(status).toBe(200);
      expect(type).toContain('text/plain');
      expect(text).toMatch(/^threadline_messages_consumed_total\{.*service="event-log".*\} \d+/m);
    });

    it('answers an unknown route with a JSON 404 and no stack trace', async () => {
      const answer = await h.get('/api/v1/nothing');
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String) });
      expect(answer.text).not.toMatch(/\bat \w+ \(/);
    });

    it('answered every request above as its OpenAPI document says, field for field', () => {
      expect(answers.length).toBeGreaterThan(25);
      expect(answers.flatMap((answer) => conformance.answerProblems(answer))).toEqual([]);
    });

    it('refuses a body over 64 KB with a JSON 413', async () => {
      const answer = await h.post(
        '/api/v1/dlq/threadline.nobody.events.dlq/redrive',
        JSON.stringify({ ids: ['x'.repeat(70_000)] }),
        { 'X-Threadline-Reason': 'size' },
      );
      expect(answer).toEqual({
        status: 413,
        body: { code: 'PAYLOAD_TOO_LARGE', message: 'body: must be at most 64kb' },
      });
    });

    // Last: it takes the broker away.
    it('answers /health with 503 when the broker is down', async () => {
      await h.runtime.driver.stop();
      const answer = await h.get('/health');
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({
        status: 'down',
        components: [{ state: 'down' }, { name: 'database', state: 'up' }],
      });
      expect(
        conformance.answerProblems({
          method: 'GET',
          url: '/health',
          status: 503,
          contentType: answer.type,
          body: answer.body,
        }),
      ).toEqual([]);
    });
  },
);
