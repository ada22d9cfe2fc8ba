import { randomUUID } from 'node:crypto';
import { buildEnvelope } from '@threadline/contracts';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { eventually } from '@threadline/testing';
import { CONNECTOR_CMMS_SERVICE } from '../../apps/connector-cmms/src';
import { metricValue } from '../support/metric-value';
import { ConnectorHarness } from '../support/connector-harness';
import {
  expectRecoveredTarget,
  answerTo,
  expectOnePerRecord,
  fastPolling,
  recordHealth,
  sleep,
  storedCursors,
} from '../support/connector-test-helpers';

const SOURCE = { plant: 'PLANT-01', system: 'threadline', connectorId: 'orchestrator' };
const CMMS = '/cmms/api/v1';

/**
 * Two mistakes an operator might make: the downtime mapping sends epoch milliseconds where the
 * contract wants a timestamp, and the work order request sends the priority as text.
 */
const brokenMappings = (file: string, text: string) =>
  fastPolling(file, text)
    .replace('"startedAt": startTime', '"startedAt": $toMillis(startTime)')
    .replace(
      /mapping:\n\s+file: mappings\/cmms-workorder-create\.jsonata/,
      `mapping: '{ "externalReference": idempotencykey, "assetNumber": data.assetId, "workType": "EM", "priority": data.priority, "description": data.description }'`,
    );

function workOrderCreate(ncrId: string): CloudEventEnvelope {
  return buildEnvelope({
    type: 'cmms.workorder.create',
    data: {
      assetId: 'PRESS-01',
      priority: 'emergency',
      kind: 'emergency',
      description: `Press tooling damaged, see ${ncrId}`,
      ncrId,
    },
    subject: 'PRESS-01',
    source: SOURCE,
    fact: { key: `test:${randomUUID()}:workorder` },
  }) as unknown as CloudEventEnvelope;
}

/** A work order a planner opens in the CMMS and a technician completes. */
async function completedWorkOrder(harness: ConnectorHarness): Promise<string> {
  const order = (await harness.sim('POST', `${CMMS}/work-orders`, {
    assetNumber: 'WELD-02',
    workType: 'PM',
    priority: 3,
    description: 'Quarterly inspection',
  })) as { workOrderNumber: string };
  await harness.sim('POST', `/_sim/cmms/workorders/${order.workOrderNumber}/complete`, {
    failureCause: 'Worn electrode',
    actualLaborHours: 1.5,
    materialsUsed: [{ itemNumber: 'EL-20', quantity: 2 }],
  });
  return order.workOrderNumber;
}

async function startDowntime(harness: ConnectorHarness, assetNumber: string): Promise<string> {
  const record = (await harness.sim('POST', '/_sim/cmms/downtime', {
    assetNumber,
    reasonCode: 'BREAKDOWN',
  })) as { downtimeId: string };
  return record.downtimeId;
}

/** The POSTs the CMMS received to create work orders. */
const workOrderPosts = (harness: ConnectorHarness) =>
  harness.simulator.state.requestLog.cmms.filter(
    (request) => request.method === 'POST' && request.path === `${CMMS}/work-orders`,
  );

describe('connector-cmms against the Maximo-style simulator (RabbitMQ, PostgreSQL)', () => {
  let harness: ConnectorHarness;
  const workOrdersFor = (command: CloudEventEnvelope) =>
    Object.values(harness.simulator.state.cmms.workOrders).filter(
      (order) => order.externalReference === command.idempotencykey,
    );
  const posts = () => workOrderPosts(harness);
  const published = async (type: string) => (await harness.published(type)).length;

  beforeAll(async () => {
    harness = await ConnectorHarness.start({
      service: CONNECTOR_CMMS_SERVICE,
      retryPolicy: { delaysMs: [250, 1_000, 2_000], maxAttempts: 60 },
      editConfig: fastPolling,
    });
  });

  afterAll(() => harness?.close());

  it('creates one work order when the request is delivered twice and redelivered after a crash', async () => {
    const create = workOrderCreate('NC-31');
    await harness.send(create);
    const answer = await answerTo(harness, 'maintenance.workorder.created', create);
    const resend = { ...create, id: randomUUID() };
    await harness.send(resend);
    const duplicates = { type: create.type, outcome: 'duplicate' };
    await eventually(
      async () => (await metricValue(harness.metrics.messagesConsumed, duplicates)) === 1,
      'the resend recognised as a duplicate',
    );
    const postsBefore = posts().length;
    const direct = await harness.host.execute(create);

    const orders = workOrdersFor(create);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      assetNumber: 'PRESS-01',
      workType: 'EM',
      priority: 1,
      status: 'APPR',
    });
    // Asked again, the CMMS answered with the order it has for the external reference.
    const again = posts().slice(postsBefore);
    expect(again.map(({ status }) => status)).toEqual([200]);
    const answers = (await harness.published('maintenance.workorder.created')).filter(
      (event) => event.causationid === create.id || event.causationid === resend.id,
    );
    expect(answers).toHaveLength(1);
    expect(answer).toMatchObject({
      causationid: create.id,
      correlationid: create.correlationid,
      subject: orders[0].workOrderNumber,
      source: '/plants/PLANT-01/cmms/cmms',
      data: {
        workOrderId: orders[0].workOrderNumber,
        assetId: 'PRESS-01',
        priority: 'emergency',
        kind: 'emergency',
        ncrId: 'NC-31',
        createdAt: orders[0].reportedDate,
        description: 'Press tooling damaged, see NC-31',
      },
    });
    expect(direct.idempotencykey).toBe(answer.idempotencykey);
    expect(direct.data).toEqual(answer.data);
  });

  it('resumes every feed from its stored cursor after a restart: no gap, no repeat', async () => {
    const completed = [await completedWorkOrder(harness), await completedWorkOrder(harness)];
    const started = [
      await startDowntime(harness, 'PRESS-01'),
      await startDowntime(harness, 'WELD-02'),
    ];
    await eventually(
      async () =>
        (await published('maintenance.workorder.completed')) === 2 &&
        (await published('equipment.downtime.started')) === 2,
      'the first records relayed',
    );
    await harness.stopService();
    const cursors = await storedCursors(harness, 'cmms');
    const stoppedAt = new Date().toISOString();
    // While the connector is down: two completions, a downtime that starts and ends, one more.
    completed.push(await completedWorkOrder(harness), await completedWorkOrder(harness));
    const ended = [await startDowntime(harness, 'PRESS-01')];
    await harness.sim('POST', `/_sim/cmms/downtime/${ended[0]}/end`);
    started.push(ended[0], await startDowntime(harness, 'WELD-02'));
    await harness.startService();
    await eventually(
      async () =>
        (await published('maintenance.workorder.completed')) >= 4 &&
        (await published('equipment.downtime.started')) >= 4 &&
        (await published('equipment.downtime.ended')) >= 1,
      'the records driven while stopped relayed',
    );
    await sleep(2_000); // two more poll rounds: nothing may come twice

    await expectOnePerRecord(harness, 'maintenance.workorder.completed', completed);
    expect((await harness.published('maintenance.workorder.completed'))[0].data).toMatchObject({
      workOrderId: completed[0],
      assetId: 'WELD-02',
      rootCause: 'Worn electrode',
      partsUsed: [{ partId: 'EL-20', quantity: { value: 2, uom: 'EA' } }],
      laborHours: 1.5,
    });
    await expectOnePerRecord(harness, 'equipment.downtime.started', started);
    await expectOnePerRecord(harness, 'equipment.downtime.ended', ended);
    const afterRestart = (path: string) =>
      harness.simulator.state.requestLog.cmms
        .filter(
          (request) => request.method === 'GET' && request.at >= stoppedAt && request.path === path,
        )
        .map((request) => new URLSearchParams(request.query).get('updatedSince'));
    expect(afterRestart(`${CMMS}/work-orders`)[0]).toBe(cursors.get('workorders-completed'));
    // Two sources read the downtime records, each from its own cursor.
    expect(afterRestart(`${CMMS}/downtime-records`).slice(0, 2).sort()).toEqual(
      [cursors.get('downtime-ended'), cursors.get('downtime-started')].sort(),
    );
  });

  it('repeats a relayed downtime start under the same key when the downtime ends later', async () => {
    const downtime = await startDowntime(harness, 'PRESS-01');
    const mine = async (type: string) =>
      (await harness.published(type)).filter((e) => e.idempotencykey.includes(`:${downtime}:`));
    await eventually(async () => (await mine('equipment.downtime.started')).length === 1, 'start');
    await harness.sim('POST', `/_sim/cmms/downtime/${downtime}/end`);
    await eventually(async () => (await mine('equipment.downtime.ended')).length === 1, 'end');
    await sleep(2_000);
    // The end moved the record past the start source's cursor; a repeat is the same fact.
    const starts = await mine('equipment.downtime.started');
    expect(new Set(starts.map((event) => event.idempotencykey)).size).toBe(1);
    expect(new Set(starts.map((event) => JSON.stringify([event.time, event.data]))).size).toBe(1);
    expect((await mine('equipment.downtime.ended'))[0].data).toMatchObject({
      assetId: 'PRESS-01',
      durationSeconds: expect.any(Number),
    });
  });

  it('holds a request through a short CMMS outage and creates the work order once when it ends', async () => {
    const health = recordHealth(harness);
    try {
      const retries = { service: 'connector-cmms' };
      const retriesBefore = await metricValue(harness.metrics.retries, retries);
      await harness.sim('POST', '/_sim/faults/cmms', { outage: true });
      const postsBefore = posts().length;
      const create = workOrderCreate('NC-32');
      await harness.send(create);
      await sleep(5_000);
      const recoveredAt = new Date().toISOString(); // nothing can succeed before this
      await harness.sim('DELETE', '/_sim/faults/cmms');
      const answer = await answerTo(harness, 'maintenance.workorder.created', create);

      const orders = workOrdersFor(create);
      expect(orders).toHaveLength(1);
      expect(orders[0].reportedDate >= recoveredAt).toBe(true);
      expect(answer.data).toMatchObject({ workOrderId: orders[0].workOrderNumber, ncrId: 'NC-32' });
      const attempts = posts().slice(postsBefore);
      expect(attempts.filter((request) => request.status === 0).length).toBeGreaterThan(0);
      expect(attempts.filter((request) => request.status === 201)).toHaveLength(1);
      await expectRecoveredTarget(harness, health, retriesBefore);
    } finally {
      health.stop();
    }
  }, 120_000);
});

describe('connector-cmms with broken mappings', () => {
  let harness: ConnectorHarness;

  beforeAll(async () => {
    harness = await ConnectorHarness.start({
      service: CONNECTOR_CMMS_SERVICE,
      editConfig: brokenMappings,
    });
  });

  afterAll(() => harness?.close());

  it('sends the unmappable downtime record to the ingress DLQ, never to the bus', async () => {
    const labels = { connector: 'cmms', type: 'equipment.downtime.started' };
    const invalid = () => metricValue(harness.metrics.mappingOutputInvalid, labels);
    const invalidBefore = await invalid();
    const downtime = await startDowntime(harness, 'PRESS-01');
    await eventually(async () => (await harness.deadLetters('ingress')).length > 0, 'a rejection');
    await sleep(2_000); // rejected once, not on every poll

    const letters = await harness.deadLetters('ingress');
    expect(letters).toHaveLength(1);
    expect(letters[0].headers['x-error-kind']).toBe('validation');
    const rejection = JSON.parse(letters[0].body.toString('utf8'));
    expect(rejection).toMatchObject({
      connector: 'cmms',
      eventType: 'equipment.downtime.started',
      reason: 'schema-invalid',
      payload: { downtimeId: downtime, assetNumber: 'PRESS-01', reasonCode: 'BREAKDOWN' },
    });
    expect(rejection.errors.map((error: { path: string }) => error.path)).toContain(
      '/data/startedAt',
    );
    expect(await harness.published('equipment.downtime.started')).toEqual([]);
    expect(await invalid()).toBe(invalidBefore + 1);
  });

  it('dead-letters a request the CMMS rejects (400) and reports integration.command.failed', async () => {
    const create = workOrderCreate('NC-33');
    await harness.send(create);
    const failed = await answerTo(harness, 'integration.command.failed', create);
    expect(failed).toMatchObject({
      correlationid: create.correlationid,
      data: { commandId: create.id, commandType: 'cmms.workorder.create', targetSystem: 'CMMS' },
    });
    expect(String(failed.data.error)).toContain('400');
    const letter = (await harness.deadLetters('commands')).find(
      (dead) => dead.messageId === create.id,
    );
    expect(letter?.headers['x-error-kind']).toBe('handler');
    expect(workOrderPosts(harness).map(({ status }) => status)).toEqual([400]);
    expect(Object.keys(harness.simulator.state.cmms.workOrders)).toEqual([]);
    expect(await harness.published('maintenance.workorder.created')).toEqual([]);
  });
});
