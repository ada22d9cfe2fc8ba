import { randomUUID } from 'node:crypto';
import { CONNECTOR_QMS_SERVICE } from '../../apps/connector-qms/src';
import { signWebhook } from '@threadline/connector-sdk';
import { eventually } from '@threadline/testing';
import { ConnectorHarness, WEBHOOK_SECRET } from '../support/connector-harness';
import { metricValue } from '../support/metric-value';

const PATH = '/webhooks/qms/nonconformances';
const RAISED = 'quality.nonconformance.raised';

type SimNonconformance = { nc_number: string };
type Delivery = {
  webhookId: string;
  url: string;
  event: string;
  body: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
};

/** A QMS webhook body as the simulator sends it, for a nonconformance that never existed. */
function nonconformanceWebhook(ncNumber: string, severity = 'MAJOR') {
  const id = `wh_${randomUUID()}`;
  const body = JSON.stringify({
    id,
    event: 'nonconformance.raised',
    occurred_at: new Date().toISOString(),
    data: {
      nc_number: ncNumber,
      status: 'OPEN',
      severity_level: severity,
      affected_lots: ['LOT-1001'],
      defect_code: 'DIM-OOT-012',
      description: 'Bore diameter above the upper specification limit',
      detected_at: new Date().toISOString(),
      equipment_ref: null,
      work_order_ref: null,
      reported_by: null,
    },
  });
  return { id, body };
}

describe('connector-qms webhooks against the QMS simulator (RabbitMQ, PostgreSQL)', () => {
  let harness: ConnectorHarness;
  let url: string;
  const deliveries = () => harness.simulator.state.qms.webhookDeliveries as Delivery[];
  const raisedFor = async (ncNumber: string) =>
    (await harness.published(RAISED)).filter((event) => event.subject === ncNumber);

  /** POSTs to the connector's webhook endpoint as a sender would; signs with `secret`. */
  async function post(body: string, webhookId: string, secret = WEBHOOK_SECRET) {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-webhook-id': webhookId,
        'x-threadline-timestamp': String(timestamp),
        'x-threadline-signature': signWebhook({ rawBody: body, secret, timestamp }),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function raise(): Promise<{ nc: SimNonconformance; delivery: Delivery }> {
    const body = { affected_lots: ['LOT-1002'], equipment_ref: 'PRESS-01' };
    const nc = (await harness.sim('POST', '/_sim/qms/nonconformances', body)) as SimNonconformance;
    const delivery = () =>
      deliveries().find(
        (candidate) =>
          JSON.parse(candidate.body).data.nc_number === nc.nc_number &&
          candidate.event === 'nonconformance.raised' &&
          candidate.url === url,
      );
    await eventually(() => delivery()?.status === 'delivered', 'the raised webhook delivered');
    return { nc, delivery: delivery()! };
  }

  beforeAll(async () => {
    harness = await ConnectorHarness.start({
      service: CONNECTOR_QMS_SERVICE,
      // The polling fallback would report the same NCs again (same key, by design): keep it out.
      editConfig: (file, text) => {
        if (file !== 'qms.yaml') return text;
        if (!text.includes('intervalSeconds: 60'))
          throw new Error('qms.yaml: fallback interval moved');
        return text.replace('intervalSeconds: 60', 'intervalSeconds: 3600');
      },
    });
    url = `${harness.host.webhookUrl!}${PATH}`;
    // One URL per lifecycle endpoint, as qms.yaml declares them; the QMS posts every kind to each.
    for (const path of [PATH, `${PATH}/dispositioned`, `${PATH}/closed`]) {
      await harness.sim('POST', '/_sim/qms/webhooks', {
        url: `${harness.host.webhookUrl!}${path}`,
      });
    }
  });

  afterAll(() => harness?.close());

  it('turns a raised nonconformance into exactly one event with the deterministic key', async () => {
    const { nc, delivery } = await raise();

    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 202 });
    const events = await raisedFor(nc.nc_number);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      idempotencykey: `qms:${nc.nc_number}:raised`,
      source: '/plants/PLANT-01/qms/qms',
      time: JSON.parse(delivery.body).occurred_at,
      data: { ncrId: nc.nc_number, severity: 'major', lotIds: ['LOT-1002'], assetId: 'PRESS-01' },
    });
  });

  it('keeps one event when the webhook is redelivered or replayed byte for byte', async () => {
    const { nc, delivery } = await raise();
    await harness.sim('POST', `/_sim/qms/webhooks/deliveries/${delivery.webhookId}/redeliver`);
    await eventually(
      () => delivery.attempts === 2 && delivery.status === 'delivered',
      'the redelivery answered',
    );
    expect(delivery.lastStatusCode).toBe(200);

    const replay = await post(delivery.body, delivery.webhookId);
    expect(replay).toMatchObject({ status: 200, body: { duplicate: true } });
    const events = await raisedFor(nc.nc_number);
    expect(events).toHaveLength(1);
    expect(replay.body.id).toBe(events[0].id);
  });

  it('refuses a bad signature with 401, counts it and publishes nothing', async () => {
    const rejected = () =>
      metricValue(harness.metrics.webhookRejected, {
        connector: 'qms',
        reason: 'signature-mismatch',
      });
    const before = await rejected();
    const forged = nonconformanceWebhook('NC-FORGED-1');

    const answer = await post(forged.body, forged.id, 'not-the-secret');

    expect(answer).toMatchObject({ status: 401, body: { error: { code: 'invalid-signature' } } });
    expect((await rejected()) - before).toBe(1);
    expect(await raisedFor('NC-FORGED-1')).toHaveLength(0);
  });

  it('answers 422 to a webhook its mapping cannot turn into a valid event and dead-letters it', async () => {
    const invalid = () =>
      metricValue(harness.metrics.mappingOutputInvalid, { connector: 'qms', type: RAISED });
    const before = await invalid();
    const unknownSeverity = nonconformanceWebhook('NC-BAD-SEVERITY-1', 'SEVERE');

    const answer = await post(unknownSeverity.body, unknownSeverity.id);

    expect(answer).toMatchObject({ status: 422, body: { error: { code: 'mapping-rejected' } } });
    expect((await invalid()) - before).toBe(1);
    const letter = (await harness.deadLetters('ingress')).find(
      (dead) => JSON.parse(dead.body.toString('utf8')).payload.id === unknownSeverity.id,
    );
    expect(letter?.headers['x-error-kind']).toBe('validation');
    expect(String(letter?.headers['x-error-message'])).toContain("required property 'severity'");
    expect(await raisedFor('NC-BAD-SEVERITY-1')).toHaveLength(0);
  });

  // The simulator, like many QMSs, sends every event kind to every registered URL: each endpoint
  // takes its own kind (`where`) and acknowledges the others without publishing them.
  it('turns each NC lifecycle webhook into its own event, once', async () => {
    const { nc } = await raise();
    const decision = {
      decision: 'REWORK',
      approved_by: { user_id: 'qa-lead', display_name: 'QA Lead' },
      reason: 'bore re-machined',
    };
    await harness.sim('POST', `/_sim/qms/nonconformances/${nc.nc_number}/disposition`, decision);
    await harness.sim('POST', `/_sim/qms/nonconformances/${nc.nc_number}/close`, {});
    const forNc = () => deliveries().filter((delivery) => delivery.body.includes(nc.nc_number));
    await eventually(
      () => forNc().length === 9 && forNc().every((delivery) => delivery.status === 'delivered'),
      'three kinds delivered to three URLs',
    );
    const statuses = forNc().map((delivery) => [
      delivery.event,
      delivery.url.slice(-14),
      delivery.lastStatusCode,
    ]);
    expect(statuses.filter(([, , status]) => status === 202)).toHaveLength(3);
    expect(statuses.filter(([, , status]) => status === 200)).toHaveLength(6);
    expect(await raisedFor(nc.nc_number)).toHaveLength(1);
    const dispositioned = (await harness.published('quality.nonconformance.dispositioned')).filter(
      (event) => event.subject === nc.nc_number,
    );
    expect(dispositioned).toHaveLength(1);
    expect(dispositioned[0]).toMatchObject({
      idempotencykey: `qms:${nc.nc_number}:dispositioned`,
      data: {
        disposition: 'rework',
        approvedBy: { id: 'qa-lead', kind: 'user', name: 'QA Lead' },
        reason: 'bore re-machined',
      },
    });
    const closed = (await harness.published('quality.nonconformance.closed')).filter(
      (event) => event.subject === nc.nc_number,
    );
    expect(closed).toHaveLength(1);
    expect(closed[0].idempotencykey).toBe(`qms:${nc.nc_number}:closed`);
  });

  it('acknowledges an inspection webhook at the nonconformance endpoints without a dead letter', async () => {
    const lettersBefore = (await harness.deadLetters('ingress')).length;
    const lot = (await harness.sim('POST', '/_sim/qms/inspections', {
      material_lot: 'LOT-2001',
      result: 'PASS',
    })) as { inspection_lot_number: string };
    const forLot = () =>
      deliveries().filter((candidate) => candidate.body.includes(lot.inspection_lot_number));
    await eventually(
      () => forLot().length === 3 && forLot().every((delivery) => delivery.status === 'delivered'),
      'the inspection webhook answered at every URL',
    );

    expect(forLot().map((delivery) => [delivery.attempts, delivery.lastStatusCode])).toEqual([
      [1, 200],
      [1, 200],
      [1, 200],
    ]);
    expect(await harness.deadLetters('ingress')).toHaveLength(lettersBefore);
    const raised = await harness.published(RAISED);
    expect(
      raised.filter((event) => JSON.stringify(event).includes(lot.inspection_lot_number)),
    ).toHaveLength(0);
  });
});
