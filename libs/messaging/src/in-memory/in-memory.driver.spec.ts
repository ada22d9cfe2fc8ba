import { TransientError } from '@threadline/core';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { ConnectionState, DriverDelivery, OutboundMessage } from '../broker-driver';
import { CLOUDEVENTS_CONTENT_TYPE, Header } from '../pipeline/message-headers';
import type { Settlement } from '../pipeline/settlement';
import { consumerQueueNames, EVENTS_EXCHANGE } from '../topology';
import { InMemoryDriver } from './in-memory.driver';

const TYPE = 'quality.nonconformance.raised';
const RETRY_DELAY_MS = 50;
const names = consumerQueueNames('quality', 'events', [RETRY_DELAY_MS]);
// The driver never reads the settlement's event; the pipeline sets it for observers.
const event = { id: 'unused' } as CloudEventEnvelope;
const ack: Settlement = { kind: 'ack', event };

function message(id: string): OutboundMessage {
  return {
    exchange: EVENTS_EXCHANGE,
    routingKey: TYPE,
    body: Buffer.from(JSON.stringify({ id })),
    properties: {
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      messageId: id,
      correlationId: 'correlation-1',
      type: TYPE,
      timestamp: 0,
      persistent: true,
      headers: { [Header.IdempotencyKey]: `key-${id}` },
    },
  };
}

const idOf = (delivery: { body: Buffer }) =>
  (JSON.parse(delivery.body.toString()) as { id: string }).id;
const ids = (count: number, prefix = 'm') =>
  Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('InMemoryDriver', () => {
  let driver: InMemoryDriver;
  let deliveries: DriverDelivery[];
  let deliveredAt: number[];

  async function setUp(options: { maxMessages?: number; prefetch?: number } = {}): Promise<void> {
    driver = new InMemoryDriver({ maxMessages: options.maxMessages });
    await driver.start();
    await driver.declareConsumerQueue({
      names,
      bindings: [{ exchange: EVENTS_EXCHANGE, pattern: '#' }],
    });
    deliveries = [];
    deliveredAt = [];
    await driver.consume(names.queue, options.prefetch ?? 100, (d) => {
      deliveries.push(d);
      deliveredAt.push(Date.now());
    });
  }

  afterEach(() => driver.stop());

  describe('consuming', () => {
    it('delivers on a later turn, never inside publish, with a copy of the headers', async () => {
      await setUp();
      const published = driver.publish([message('m1')]);
      expect(deliveries).toHaveLength(0);
      await published;
      await eventually(() => deliveries.length === 1, 'the delivery');
      const [delivery] = deliveries;
      expect(delivery).toMatchObject({ queue: names.queue, routingKey: TYPE });
      expect(idOf(delivery)).toBe('m1');
      expect(delivery.headers).toEqual({ [Header.IdempotencyKey]: 'key-m1' });
      // A consumer scribbling on its delivery does not change the stored message.
      delivery.headers[Header.IdempotencyKey] = 'changed';
      driver.simulateDisconnect();
      driver.simulateReconnect();
      await eventually(() => deliveries.length === 2, 'the redelivery');
      expect(deliveries[1].headers[Header.IdempotencyKey]).toBe('key-m1');
    });

    it('delivers in publish order', async () => {
      await setUp();
      await driver.publish(ids(30).map(message));
      await eventually(() => deliveries.length === 30, 'all deliveries');
      expect(deliveries.map(idOf)).toEqual(ids(30));
    });

    it('never has more than prefetch unacknowledged, and sends more as acks come in', async () => {
      await setUp({ prefetch: 3 });
      await driver.publish(ids(10).map(message));
      await eventually(() => deliveries.length === 3, 'the first three');
      await sleep(30);
      expect(deliveries).toHaveLength(3);
      expect(await driver.queueDepth(names.queue)).toBe(7);
      await driver.settle(deliveries[0], ack);
      await eventually(() => deliveries.length === 4, 'one more after an ack');
      await sleep(30);
      expect(deliveries).toHaveLength(4);
      for (let settled = 1; settled < 10; settled++) {
        await eventually(() => deliveries.length > settled, `delivery ${settled + 1}`);
        await driver.settle(deliveries[settled], ack);
      }
      expect(deliveries.map(idOf)).toEqual(ids(10));
      expect(await driver.queueDepth(names.queue)).toBe(0);
    });

    it('rejects a prefetch that is not a positive integer', async () => {
      await setUp();
      await expect(driver.consume(names.queue, 0, () => undefined)).rejects.toThrow(
        'prefetch must be an integer >= 1, got 0',
      );
    });
  });

  describe('retry and dead letters', () => {
    const retry = (attempts: number): Settlement => ({
      kind: 'retry',
      delayMs: RETRY_DELAY_MS,
      attempts,
      error: 'ERP timed out',
      event,
    });

    it('holds a retried message for the tier delay, then delivers it with failure headers', async () => {
      await setUp();
      await driver.publish([message('m1')]);
      await eventually(() => deliveries.length === 1, 'the first delivery');
      const retriedAt = Date.now();
      await driver.settle(deliveries[0], retry(1));
      expect(await driver.queueDepth(names.retryQueues[0].queue)).toBe(1);
      await eventually(() => deliveries.length === 2, 'the retried delivery');
      // Not before the delay (timed at delivery, so a slow machine cannot make this pass wrongly).
      expect(deliveredAt[1] - retriedAt).toBeGreaterThanOrEqual(RETRY_DELAY_MS);
      const headers = deliveries[1].headers;
      expect(headers).toMatchObject({
        [Header.IdempotencyKey]: 'key-m1',
        [Header.Attempts]: 1,
        [Header.ErrorMessage]: 'ERP timed out',
        [Header.OriginalQueue]: names.queue,
      });
      expect(headers[Header.ErrorKind]).toBeUndefined();
      // Dead-lettered back by the tier, as RabbitMQ does: the routing key is the queue's name.
      expect(deliveries[1].routingKey).toBe(names.queue);
      await driver.settle(deliveries[1], retry(2));
      await eventually(() => deliveries.length === 3, 'the second retry');
      expect(deliveries[2].headers[Header.Attempts]).toBe(2);
      expect(deliveries[2].headers[Header.FirstFailedAt]).toBe(headers[Header.FirstFailedAt]);
    });

    it('refuses a retry to a tier that was never declared, keeping the message', async () => {
      await setUp();
      await driver.publish([message('m1')]);
      await eventually(() => deliveries.length === 1, 'the delivery');
      const settling = driver.settle(deliveries[0], { ...retry(1), delayMs: 999 } as Settlement);
      await expect(settling).rejects.toThrow(`'${names.queue}.retry.999ms'`);
      driver.simulateDisconnect();
      driver.simulateReconnect();
      await eventually(() => deliveries.length === 2, 'the redelivery');
    });

    it('dead-letters with kind, attempts and reason; peeking leaves the letters in place', async () => {
      await setUp();
      await driver.publish([message('m1')]);
      await eventually(() => deliveries.length === 1, 'the delivery');
      await driver.settle(deliveries[0], {
        kind: 'dead-letter',
        errorKind: 'validation',
        attempts: 1,
        error: '/data/ncrId\nmust be string',
      });
      const [letter] = await driver.peekDeadLetters(names.deadLetterQueue, 10);
      expect(letter.messageId).toBe('m1');
      expect(idOf(letter)).toBe('m1');
      expect(letter.headers).toMatchObject({
        [Header.ErrorKind]: 'validation',
        [Header.Attempts]: 1,
        [Header.ErrorMessage]: '/data/ncrId must be string',
        [Header.OriginalQueue]: names.queue,
        [Header.IdempotencyKey]: 'key-m1',
      });
      expect(await driver.peekDeadLetters(names.deadLetterQueue, 10)).toHaveLength(1);
      expect(await driver.queueDepth(names.queue)).toBe(0);
    });

    it('re-drives the selected letters with a fresh attempt count; the rest keep their order', async () => {
      await setUp();
      await driver.publish(ids(5).map(message));
      await eventually(() => deliveries.length === 5, 'all deliveries');
      for (const delivery of deliveries) {
        await driver.settle(delivery, {
          kind: 'dead-letter',
          errorKind: 'max-attempts',
          attempts: 8,
          error: 'x',
        });
      }
      const progress: number[] = [];
      const wanted = new Set(['m2', 'm4']);
      const moved = await driver.redrive(
        names.deadLetterQueue,
        (l) => wanted.has(l.messageId),
        (n) => progress.push(n),
      );
      expect(moved).toBe(2);
      expect(progress).toEqual([1, 2]);
      const left = await driver.peekDeadLetters(names.deadLetterQueue, 10);
      expect(left.map((l) => l.messageId)).toEqual(['m1', 'm3', 'm5']);
      await eventually(() => deliveries.length === 7, 'the re-driven deliveries');
      expect(deliveries.slice(5).map(idOf)).toEqual(['m2', 'm4']);
      for (const delivery of deliveries.slice(5)) {
        expect(delivery.headers).toEqual({ [Header.IdempotencyKey]: `key-${idOf(delivery)}` });
      }
    });
  });

  describe('memory guard', () => {
    it('rejects a publish beyond the limit with a transient error and stores none of it', async () => {
      await setUp({ maxMessages: 5, prefetch: 2 });
      await driver.publish(ids(4).map(message));
      await eventually(() => deliveries.length === 2, 'two unacknowledged deliveries');
      const overflow = driver.publish(ids(2, 'x').map(message));
      await expect(overflow).rejects.toThrow(TransientError);
      await expect(overflow).rejects.toThrow('in-memory broker full');
      expect(await driver.queueDepth(names.queue)).toBe(2);
      await driver.publish([message('x1')]);
      await driver.settle(deliveries[0], ack);
      await driver.publish([message('x2')]);
      await expect(driver.publish([message('x3')])).rejects.toThrow('in-memory broker full');
    });

    it('rejects a limit that is not a positive integer', () => {
      expect(() => new InMemoryDriver({ maxMessages: 0 })).toThrow(
        'maxMessages must be an integer >= 1',
      );
    });
  });

  describe('connection', () => {
    it('reports its state: disconnected, connected, disconnected, connected, closed', async () => {
      driver = new InMemoryDriver();
      const states: ConnectionState[] = [];
      driver.state$.subscribe((state) => states.push(state));
      await driver.start();
      driver.simulateDisconnect();
      driver.simulateReconnect();
      await driver.stop();
      expect(states.filter((s) => s !== 'connecting')).toEqual([
        'disconnected',
        'connected',
        'disconnected',
        'connected',
        'closed',
      ]);
    });

    it('loses nothing through a disconnect: unacked messages come again first, in order', async () => {
      await setUp({ prefetch: 3 });
      await driver.publish(ids(5).map(message));
      await eventually(() => deliveries.length === 3, 'the first three');
      await driver.settle(deliveries[0], ack);
      driver.simulateDisconnect();
      expect(driver.isConnected()).toBe(false);
      await expect(driver.publish([message('m6')])).rejects.toThrow(TransientError);
      await sleep(30);
      expect(deliveries).toHaveLength(3);
      // Settling a delivery from before the disconnect does not remove its redelivery.
      await driver.settle(deliveries[1], ack);
      driver.simulateReconnect();
      await eventually(() => deliveries.length === 6, 'the redeliveries');
      expect(deliveries.slice(3).map(idOf)).toEqual(['m2', 'm3', 'm4']);
      for (const delivery of deliveries.slice(3)) await driver.settle(delivery, ack);
      await eventually(() => deliveries.length === 7, 'the last message');
      expect(idOf(deliveries[6])).toBe('m5');
    });

    it('clears retry timers on stop: nothing moves until started again', async () => {
      await setUp();
      await driver.publish([message('m1')]);
      await eventually(() => deliveries.length === 1, 'the delivery');
      await driver.settle(deliveries[0], {
        kind: 'retry',
        delayMs: RETRY_DELAY_MS,
        attempts: 1,
        error: 'x',
        event,
      });
      await driver.stop();
      await sleep(RETRY_DELAY_MS * 3);
      await driver.start();
      expect(await driver.queueDepth(names.retryQueues[0].queue)).toBe(1);
      expect(await driver.queueDepth(names.queue)).toBe(0);
      await eventually(
        async () => (await driver.queueDepth(names.queue)) === 1,
        'the expiry after start',
      );
    });
  });
});
