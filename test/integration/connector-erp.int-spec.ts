import { randomUUID } from 'node:crypto';
import { CONNECTOR_ERP_SERVICE } from '../../apps/connector-erp/src';
import { buildEnvelope } from '@threadline/contracts';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { eventually } from '@threadline/testing';
import { ConnectorHarness } from '../support/connector-harness';
import { metricValue } from '../support/metric-value';

const SOURCE = { plant: 'PLANT-01', system: 'threadline', connectorId: 'orchestrator' };
const HOLD_RELEASED_SOURCE = SOURCE;

function holdPlace(lotIds: string[], correlation?: string): CloudEventEnvelope {
  const command = buildEnvelope({
    type: 'erp.inventory.hold.place',
    data: {
      lotIds,
      reason: 'nonconformance NC-1',
      ncrId: 'NC-1',
      requestedBy: { id: 'qe-7', kind: 'user' },
    },
    subject: 'NC-1',
    source: SOURCE,
    fact: { key: `test:${randomUUID()}:hold-place` },
  });
  return {
    ...command,
    correlationid: correlation ?? command.correlationid,
  } as unknown as CloudEventEnvelope;
}

function holdRelease(holdId: string): CloudEventEnvelope {
  return buildEnvelope({
    type: 'erp.inventory.hold.release',
    data: { holdId, approvedBy: { id: 'qa-lead', kind: 'user' }, reason: 'NC dispositioned' },
    subject: holdId,
    source: HOLD_RELEASED_SOURCE,
    fact: { key: `test:${randomUUID()}:hold-release` },
  }) as unknown as CloudEventEnvelope;
}

type SimHold = { HoldId: string; HoldStatus: string; Batches: string[]; ExternalReference: string };

describe('connector-erp against the SAP-style simulator (RabbitMQ, PostgreSQL)', () => {
  let harness: ConnectorHarness;
  const holds = () => Object.values(harness.simulator.state.erp.holds) as SimHold[];
  const erpRequests = () => harness.simulator.state.requestLog.erp;

  beforeAll(async () => {
    harness = await ConnectorHarness.start({
      service: CONNECTOR_ERP_SERVICE,
      retryPolicy: { delaysMs: [250, 1_000, 2_000], maxAttempts: 60 },
    });
  });

  afterAll(() => harness?.close());

  it('places a hold and answers inventory.hold.placed caused by the command', async () => {
    const command = holdPlace(['LOT-1001']);
    await harness.send(command);
    await eventually(
      async () =>
        (await harness.published('inventory.hold.placed')).some(
          (e) => e.causationid === command.id,
        ),
      'inventory.hold.placed for the command',
    );
    const placed = (await harness.published('inventory.hold.placed')).find(
      (event) => event.causationid === command.id,
    )!;
    expect(placed).toMatchObject({
      correlationid: command.correlationid,
      subject: placed.data.holdId,
      source: '/plants/PLANT-01/erp/erp-sap',
      data: { lotIds: ['LOT-1001'], ncrId: 'NC-1', placedBy: { id: 'qe-7', kind: 'user' } },
    });
    const hold = holds().find((candidate) => candidate.HoldId === placed.data.holdId)!;
    expect(hold).toMatchObject({ HoldStatus: 'ACTIVE', Batches: ['LOT-1001'] });
    expect(harness.simulator.state.erp.batchStocks['LOT-1001'].StockStatus).toBe('BLOCKED');
  });

  it('acts once on the ERP when the same command is delivered twice', async () => {
    const command = holdPlace(['LOT-1002']);
    // Sent again as a resend would be: a new message id, the same idempotency key. Either copy
    // may be consumed first; the inbox lets exactly one of them through.
    const resend = { ...command, id: randomUUID() };
    const settled = () => settledHoldPlaces(harness);
    const settledBefore = await settled();
    await harness.send(command, resend);
    // And as a redelivery after a crash between the ERP call and the commit would: straight in.
    const direct = await harness.host.execute(command);
    const answers = async () =>
      (await harness.published('inventory.hold.placed')).filter(
        (event) => event.causationid === command.id || event.causationid === resend.id,
      );
    await eventually(async () => (await answers()).length > 0, 'the hold answer');
    const forCommand = holds().filter((hold) => hold.ExternalReference === command.idempotencykey);
    expect(forCommand).toHaveLength(1);
    expect(direct.data).toMatchObject({ holdId: forCommand[0].HoldId });
    // Both copies settled (one handled, one a duplicate) before counting the answers.
    await eventually(async () => (await settled()) >= settledBefore + 2, 'both copies settled');
    const answered = await answers();
    expect(answered).toHaveLength(1);
    expect(answered[0].idempotencykey).toBe(direct.idempotencykey);
  });

  it('releases a hold once, however often the release arrives', async () => {
    const place = holdPlace(['LOT-2001']);
    const placed = await harness.host.execute(place);
    const holdId = (placed.data as { holdId: string }).holdId;
    const release = holdRelease(holdId);
    const first = await harness.host.execute(release);
    const patchesBefore = erpRequests().filter((r) => r.method === 'PATCH').length;
    const again = await harness.host.execute(release);
    expect(erpRequests().filter((r) => r.method === 'PATCH').length).toBe(patchesBefore);
    expect(first.data).toMatchObject({
      holdId,
      lotIds: ['LOT-2001'],
      releasedBy: { id: 'qa-lead' },
    });
    expect(again.idempotencykey).toBe(first.idempotencykey);
    expect(holds().find((hold) => hold.HoldId === holdId)!.HoldStatus).toBe('RELEASED');
    expect(harness.simulator.state.erp.batchStocks['LOT-2001'].StockStatus).toBe('UNRESTRICTED');
  });

  it('dead-letters a release of an unknown hold and reports integration.command.failed', async () => {
    const release = holdRelease('4999999999');
    await harness.send(release);
    await eventually(
      async () =>
        (await harness.published('integration.command.failed')).some(
          (e) => e.causationid === release.id,
        ),
      'integration.command.failed',
    );
    const failed = (await harness.published('integration.command.failed')).find(
      (event) => event.causationid === release.id,
    )!;
    expect(failed.data).toMatchObject({ commandId: release.id, commandType: release.type });
    expect(String(failed.data.error)).toContain('404');
    const letters = await harness.deadLetters('commands');
    const letter = letters.find((dead) => dead.messageId === release.id);
    expect(letter?.headers['x-error-kind']).toBe('handler');
  });

  it('honours Retry-After on 429', async () => {
    await harness.sim('POST', '/_sim/faults/erp', {
      status: 429,
      retryAfterSeconds: 2,
      forSeconds: 1,
    });
    const command = holdPlace(['LOT-1001']);
    const started = Date.now();
    await harness.host.execute(command);
    const log = erpRequests().filter((request) => Date.parse(request.at) >= started - 5);
    const throttled = log.filter((request) => request.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    const lastThrottled = Date.parse(throttled[throttled.length - 1].at);
    const next = log.find((request) => Date.parse(request.at) > lastThrottled)!;
    expect(Date.parse(next.at) - lastThrottled).toBeGreaterThanOrEqual(1_900);
  });

  it('survives 60 s of 503: every command applied once after recovery, the circuit opened then closed', async () => {
    const states: string[] = [];
    const sampler = setInterval(() => {
      const state = harness.host.health().state;
      if (states[states.length - 1] !== state) states.push(state);
    }, 50);
    try {
      await harness.sim('POST', '/_sim/faults/erp', { status: 503, forSeconds: 60 });
      const faultStarted = Date.now();
      const lots = ['LOT-1001', 'LOT-1002', 'LOT-2001'];
      const commands = lots.map((lot) => holdPlace([lot]));
      await harness.send(...commands);
      await eventually(
        async () => {
          const answered = await harness.published('inventory.hold.placed');
          return commands.every((command) => answered.some((e) => e.causationid === command.id));
        },
        'every hold placed after recovery',
        120_000,
        250,
      );
      expect(Date.now() - faultStarted).toBeGreaterThanOrEqual(59_000);
      for (const command of commands) {
        expect(
          holds().filter((hold) => hold.ExternalReference === command.idempotencykey),
        ).toHaveLength(1);
      }
      expect(states).toContain('down');
      expect(states.indexOf('down')).toBeLessThan(states.lastIndexOf('up'));
      expect(harness.host.health().state).toBe('up');
      expect(await harness.deadLetters('commands')).not.toEqual(
        expect.arrayContaining([expect.objectContaining({ messageId: commands[0].id })]),
      );
    } finally {
      clearInterval(sampler);
    }
  }, 150_000);
});

/** hold.place messages settled so far: handled (ack), dropped as duplicates, or dead-lettered. */
async function settledHoldPlaces(harness: ConnectorHarness): Promise<number> {
  const type = 'erp.inventory.hold.place';
  let total = 0;
  for (const outcome of ['ack', 'duplicate', 'dlq']) {
    total += await metricValue(harness.metrics.messagesConsumed, { type, outcome });
  }
  return total;
}
