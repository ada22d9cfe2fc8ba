import { randomUUID } from 'node:crypto';
import { buildEnvelope } from '@threadline/contracts';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { eventually } from '@threadline/testing';
import { CONNECTOR_MES_SERVICE } from '../../apps/connector-mes/src';
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
const ORDER = '1000001';
const MES = '/mes/api/v1';

/** The confirmation mapping as an operator might break it: epoch milliseconds, not a timestamp. */
const brokenConfirmationMapping = (file: string, text: string) =>
  fastPolling(file, text).replace(
    /mapping:\n\s+file: mappings\/mes-confirmation\.jsonata/,
    `mapping: '{ "orderId": orderId, "operationId": operationId, "workCenterId": workCenterId, "completedAt": $toMillis(completedAt) }'`,
  );

function lineCommand(
  type: 'mes.line.stop' | 'mes.line.resume',
  lineId: string,
  ncrId?: string,
): CloudEventEnvelope {
  const reason = ncrId ? `containment of ${ncrId}` : 'NC dispositioned';
  return buildEnvelope({
    type,
    data: { lineId, reason, ...(ncrId ? { ncrId } : {}) },
    subject: lineId,
    source: SOURCE,
    fact: { key: `test:${randomUUID()}:${type}` },
  }) as unknown as CloudEventEnvelope;
}

/** The MES feeds the example configuration polls, by the event each becomes. */
const FEEDS = {
  'production.operation.completed': { stream: 'confirmations', path: `${MES}/confirmations` },
  'production.output.declared': {
    stream: 'output-declarations',
    path: `${MES}/output-declarations`,
  },
  'production.material.consumed': { stream: 'consumptions', path: `${MES}/consumptions` },
} as const;
type FeedType = keyof typeof FEEDS;
const FEED_TYPES = Object.keys(FEEDS) as FeedType[];

/** One record in each MES feed; resolves with the ids the MES gave them, by event type. */
async function driveRecords(harness: ConnectorHarness, tag: string) {
  const confirmation = (await harness.sim('POST', '/_sim/mes/confirmations', {
    orderId: ORDER,
    operationId: '0020',
    processParameters: { pressure: 212 },
  })) as { confirmationId: string };
  const output = (await harness.sim('POST', '/_sim/mes/output', {
    orderId: ORDER,
    outputLotId: `OUT-${tag}`,
    materialId: 'MAT-900',
    quantity: 10,
  })) as { declarationId: string };
  const consumption = (await harness.sim('POST', '/_sim/mes/consumptions', {
    orderId: ORDER,
    consumedLotId: 'LOT-1001',
    materialId: 'MAT-100',
    quantity: 4,
    unit: 'KG',
  })) as { consumptionId: string };
  return {
    'production.operation.completed': confirmation.confirmationId,
    'production.output.declared': output.declarationId,
    'production.material.consumed': consumption.consumptionId,
  } satisfies Record<FeedType, string>;
}

describe('connector-mes against the MES simulator (RabbitMQ, PostgreSQL)', () => {
  let harness: ConnectorHarness;
  const mes = () => harness.simulator.state.mes;
  const lineEvents = (lineId: string, kind: string) =>
    mes().lineEvents.filter((event) => event.lineId === lineId && event.kind === kind);
  const requests = (method: string, path: string) =>
    harness.simulator.state.requestLog.mes.filter((r) => r.method === method && r.path === path);

  beforeAll(async () => {
    harness = await ConnectorHarness.start({
      service: CONNECTOR_MES_SERVICE,
      retryPolicy: { delaysMs: [250, 1_000, 2_000], maxAttempts: 60 },
      editConfig: fastPolling,
    });
  });

  afterAll(() => harness?.close());

  it('stops the line once when the stop is delivered twice and redelivered after a crash', async () => {
    const stop = lineCommand('mes.line.stop', 'LINE-1', 'NC-7');
    await harness.send(stop);
    const answer = await answerTo(harness, 'equipment.downtime.started', stop);
    // Sent again as a resend would be: a new message id, the same idempotency key.
    const resend = { ...stop, id: randomUUID() };
    await harness.send(resend);
    const duplicates = { type: 'mes.line.stop', outcome: 'duplicate' };
    await eventually(
      async () => (await metricValue(harness.metrics.messagesConsumed, duplicates)) === 1,
      'the resend recognised as a duplicate',
    );
    // A redelivery after a crash between the MES call and the commit: straight in, twice.
    const direct = await harness.host.execute(stop);
    const again = await harness.host.execute(stop);

    const stopped = lineEvents('LINE-1', 'STOPPED');
    expect(stopped).toHaveLength(1);
    expect(mes().lines['LINE-1'].state).toBe('STOPPED');
    // Called three times, the MES replayed its first answer to the Idempotency-Key (no 409).
    const calls = requests('POST', `${MES}/lines/LINE-1/stop`);
    expect(calls.map((call) => call.status)).toEqual([200, 200, 200]);
    const answers = (await harness.published('equipment.downtime.started')).filter(
      (event) => event.causationid === stop.id || event.causationid === resend.id,
    );
    expect(answers).toHaveLength(1);
    expect(answer).toMatchObject({
      causationid: stop.id,
      correlationid: stop.correlationid,
      subject: 'PRESS-01',
      source: '/plants/PLANT-01/mes/mes',
      data: { assetId: 'PRESS-01', reasonCode: 'QUALITY-STOP', startedAt: stopped[0].at },
    });
    expect(direct.idempotencykey).toBe(answer.idempotencykey);
    expect(again.data).toEqual(answer.data);
  });

  it('resumes the line and answers equipment.downtime.ended', async () => {
    const resume = lineCommand('mes.line.resume', 'LINE-1');
    await harness.send(resume);
    const ended = await answerTo(harness, 'equipment.downtime.ended', resume);
    const resumed = lineEvents('LINE-1', 'RESUMED');
    expect(resumed).toHaveLength(1);
    expect(mes().lines['LINE-1'].state).toBe('RUNNING');
    expect(ended).toMatchObject({
      correlationid: resume.correlationid,
      data: { assetId: 'PRESS-01', endedAt: resumed[0].at },
    });
  });

  it('resumes every feed from its stored cursor after a restart: no gap, no repeat', async () => {
    const driven = [await driveRecords(harness, 'A1'), await driveRecords(harness, 'A2')];
    const relayed = async (count: number) => {
      for (const type of FEED_TYPES)
        if ((await harness.published(type)).length < count) return false;
      return true;
    };
    await eventually(() => relayed(2), 'the first records relayed');
    await harness.stopService();
    const cursors = await storedCursors(harness, 'mes');
    const stoppedAt = new Date().toISOString();
    driven.push(await driveRecords(harness, 'B1'), await driveRecords(harness, 'B2'));
    await harness.startService();
    await eventually(() => relayed(4), 'the records driven while stopped relayed');
    await sleep(2_000); // two more poll rounds: nothing may come twice

    for (const type of FEED_TYPES) {
      await expectOnePerRecord(
        harness,
        type,
        driven.map((ids) => ids[type]),
      );
      const { stream, path } = FEEDS[type];
      expect(cursors.get(stream)).toEqual(expect.any(String));
      const firstPoll = requests('GET', path).find((request) => request.at >= stoppedAt)!;
      expect(new URLSearchParams(firstPoll.query).get('since')).toBe(cursors.get(stream));
    }
    const output = (await harness.published('production.output.declared'))[0];
    expect(output.data).toMatchObject({
      orderId: ORDER,
      outputLotId: 'OUT-A1',
      materialId: 'MAT-900',
      quantity: { value: 10, uom: 'EA' },
    });
  });

  it('dead-letters a stop of an unknown line (404) and reports integration.command.failed', async () => {
    const stop = lineCommand('mes.line.stop', 'LINE-9', 'NC-8');
    await harness.send(stop);
    const failed = await answerTo(harness, 'integration.command.failed', stop);
    expect(failed).toMatchObject({
      correlationid: stop.correlationid,
      data: { commandId: stop.id, commandType: 'mes.line.stop', targetSystem: 'MES' },
    });
    expect(String(failed.data.error)).toContain('404');
    const letters = await harness.deadLetters('commands');
    const letter = letters.find((dead) => dead.messageId === stop.id);
    expect(letter?.headers['x-error-kind']).toBe('handler');
    expect(requests('POST', `${MES}/lines/LINE-9/stop`).map((r) => r.status)).toEqual([404]);
    expect(await harness.published('equipment.downtime.started')).not.toContainEqual(
      expect.objectContaining({ causationid: stop.id }),
    );
  });

  it('holds commands through a short MES outage and applies them once when it ends', async () => {
    const health = recordHealth(harness);
    try {
      const retries = { service: 'connector-mes' };
      const retriesBefore = await metricValue(harness.metrics.retries, retries);
      await harness.sim('POST', '/_sim/faults/mes', { outage: true });
      const stop = lineCommand('mes.line.stop', 'LINE-2', 'NC-9');
      await harness.send(stop);
      await sleep(5_000);
      const recoveredAt = new Date().toISOString(); // nothing can succeed before this
      await harness.sim('DELETE', '/_sim/faults/mes');
      const answer = await answerTo(harness, 'equipment.downtime.started', stop);

      const stopped = lineEvents('LINE-2', 'STOPPED');
      expect(stopped).toHaveLength(1);
      expect(stopped[0].at >= recoveredAt).toBe(true);
      expect(answer.data).toMatchObject({ assetId: 'WELD-02', startedAt: stopped[0].at });
      const attempts = requests('POST', `${MES}/lines/LINE-2/stop`);
      expect(attempts.filter((request) => request.status === 0).length).toBeGreaterThan(0);
      expect(attempts.filter((request) => request.status === 200)).toHaveLength(1);
      await expectRecoveredTarget(harness, health, retriesBefore);
    } finally {
      health.stop();
    }
  }, 90_000);
});

describe('connector-mes with a broken confirmation mapping', () => {
  let harness: ConnectorHarness;

  beforeAll(async () => {
    harness = await ConnectorHarness.start({
      service: CONNECTOR_MES_SERVICE,
      editConfig: brokenConfirmationMapping,
    });
  });

  afterAll(() => harness?.close());

  it('sends the unmappable confirmation to the ingress DLQ, never to the bus', async () => {
    const labels = { connector: 'mes', type: 'production.operation.completed' };
    const invalid = () => metricValue(harness.metrics.mappingOutputInvalid, labels);
    const invalidBefore = await invalid();
    const ids = await driveRecords(harness, 'BAD');
    await eventually(async () => (await harness.deadLetters('ingress')).length > 0, 'a rejection');
    // The other feeds go on; the bad record is rejected once, not on every poll.
    await eventually(
      async () => (await harness.published('production.output.declared')).length === 1,
      'the output declaration relayed',
    );
    await sleep(2_000);

    const letters = await harness.deadLetters('ingress');
    expect(letters).toHaveLength(1);
    expect(letters[0].headers['x-error-kind']).toBe('validation');
    const rejection = JSON.parse(letters[0].body.toString('utf8'));
    expect(rejection).toMatchObject({
      connector: 'mes',
      eventType: 'production.operation.completed',
      reason: 'schema-invalid',
      payload: { confirmationId: ids['production.operation.completed'], orderId: ORDER },
    });
    const paths = rejection.errors.map((error: { path: string }) => error.path);
    expect(paths).toContain('/data/completedAt');
    expect(await harness.published('production.operation.completed')).toEqual([]);
    expect(await invalid()).toBe(invalidBefore + 1);
  });
});
