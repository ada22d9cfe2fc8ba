import { randomUUID } from 'node:crypto';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  EVENTS_EXCHANGE,
  Header,
  type OutboundMessage,
} from '@threadline/messaging';
import { nonconformanceRaised } from '@threadline/testing';
import { FaultRun } from './support/fault-run';
import { expectExactlyOnce } from './support/fault-assertions';
import { buildWorkload, chunks } from './support/fault-workload';

const ROUTING_KEY = 'quality.nonconformance.raised';

/** 25 each of: not JSON, data breaking its schema, an unknown type, an unknown major version. */
function poisonBodies(keyPrefix: string): string[] {
  return Array.from({ length: 25 }).flatMap((_, i) => [
    `{"specversion": "1.0", "idempotencykey": "${keyPrefix}broken-${i}", `,
    JSON.stringify(
      nonconformanceRaised({ key: `${keyPrefix}bad-data-${i}`, data: { ncrId: `NCR-${i}` } }),
    ),
    JSON.stringify(
      nonconformanceRaised({
        key: `${keyPrefix}unknown-type-${i}`,
        type: 'quality.nonconformance.exploded',
        dataschema: 'urn:threadline:schema:quality.nonconformance.exploded:1',
      }),
    ),
    JSON.stringify(
      nonconformanceRaised({
        key: `${keyPrefix}unknown-major-${i}`,
        dataschema: 'urn:threadline:schema:quality.nonconformance.raised:9',
      }),
    ),
  ]);
}

function rawMessage(body: string): OutboundMessage {
  return {
    exchange: EVENTS_EXCHANGE,
    routingKey: ROUTING_KEY,
    body: Buffer.from(body),
    properties: {
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      messageId: randomUUID(),
      correlationId: 'fault-poison',
      type: ROUTING_KEY,
      timestamp: Math.floor(Date.now() / 1000),
      persistent: true,
      headers: {},
    },
  };
}

describe('fault: poison messages among valid ones', () => {
  const run = new FaultRun({ service: `fault-poison-${randomUUID().slice(0, 8)}` });

  beforeAll(() => run.start());
  afterAll(() => run.dispose());

  it('dead-letters all 100 poison messages as validation failures and applies the rest once', async () => {
    const workload = buildWorkload(run.keyPrefix);
    const poison = poisonBodies(run.keyPrefix);
    // Interleave: one poison message straight onto the bus after every 100 valid outbox events.
    const valid = chunks(workload.events, workload.events.length / poison.length);
    for (const [i, chunk] of valid.entries()) {
      await run.messaging.publisher.publish(...chunk);
      await run.messaging.driver.publish([rawMessage(poison[i])]);
    }

    await run.waitUntilSettled(workload.uniqueKeys.size);
    await run.waitForDeadLetters(poison.length);
    const figures = await expectExactlyOnce(run, workload, poison.length);

    const letters = await run.deadLettersOfThisRun();
    expect(letters.map((letter) => letter.body.toString()).sort()).toEqual([...poison].sort());
    for (const letter of letters) {
      expect(letter.headers[Header.ErrorKind]).toBe('validation');
      expect(letter.headers[Header.Attempts]).toBe(1);
    }
    const outcomes = await run.outcomes();
    run.report('poison messages', {
      ...figures,
      poison: poison.length,
      deadLettered: letters.length,
      duplicatesAbsorbed: outcomes.duplicate ?? 0,
    });
  }, 240_000);
});
