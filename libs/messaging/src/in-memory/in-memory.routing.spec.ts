import type { OutboundMessage } from '../broker-driver';
import { CLOUDEVENTS_CONTENT_TYPE } from '../pipeline/message-headers';
import {
  COMMANDS_EXCHANGE,
  consumerQueueNames,
  DEAD_LETTER_EXCHANGE,
  EVENTS_EXCHANGE,
  RETRY_EXCHANGE,
  UNROUTABLE_QUEUE,
} from '../topology';
import { InMemoryDriver } from './in-memory.driver';

function message(exchange: string, routingKey: string, id = routingKey): OutboundMessage {
  return {
    exchange,
    routingKey,
    body: Buffer.from(JSON.stringify({ id })),
    properties: {
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      messageId: id,
      correlationId: 'correlation-1',
      type: routingKey,
      timestamp: 0,
      persistent: true,
      headers: {},
    },
  };
}

describe('InMemoryDriver routing', () => {
  let driver: InMemoryDriver;
  const quality = consumerQueueNames('quality', 'events', [30, 60]);
  const alarms = consumerQueueNames('alarms', 'events', [30]);
  const exact = consumerQueueNames('exact', 'events', [30]);
  const erp = consumerQueueNames('connector-erp', 'commands', [30]);

  const depth = (queue: string) => driver.queueDepth(queue);

  beforeEach(async () => {
    driver = new InMemoryDriver();
    await driver.start();
    await driver.declareConsumerQueue({
      names: quality,
      bindings: [
        { exchange: EVENTS_EXCHANGE, pattern: 'quality.#' },
        // Overlaps the first binding: a queue still gets one copy.
        { exchange: EVENTS_EXCHANGE, pattern: 'quality.nonconformance.*' },
      ],
    });
    await driver.declareConsumerQueue({
      names: alarms,
      bindings: [{ exchange: EVENTS_EXCHANGE, pattern: '*.alarm.*' }],
    });
    await driver.declareConsumerQueue({
      names: exact,
      bindings: [{ exchange: EVENTS_EXCHANGE, pattern: 'quality.nonconformance.raised' }],
    });
    await driver.declareConsumerQueue({
      names: erp,
      bindings: [{ exchange: COMMANDS_EXCHANGE, pattern: 'erp.#' }],
    });
  });

  afterEach(() => driver.stop());

  it('routes events by topic pattern, one copy per matching queue', async () => {
    await driver.publish([
      message(EVENTS_EXCHANGE, 'quality.nonconformance.raised'),
      message(EVENTS_EXCHANGE, 'equipment.alarm.raised'),
      message(EVENTS_EXCHANGE, 'quality.lot'),
      message(EVENTS_EXCHANGE, 'equipment.alarm.raised.twice'),
    ]);
    expect(await depth(quality.queue)).toBe(2);
    expect(await depth(alarms.queue)).toBe(1);
    expect(await depth(exact.queue)).toBe(1);
  });

  it('drops an event no queue is bound for, as a topic exchange does', async () => {
    await driver.publish([message(EVENTS_EXCHANGE, 'maintenance.workorder.closed')]);
    for (const queue of [quality.queue, alarms.queue, exact.queue, UNROUTABLE_QUEUE]) {
      expect(await depth(queue)).toBe(0);
    }
  });

  it('keeps a command nobody consumes in the unroutable queue', async () => {
    await driver.publish([
      message(COMMANDS_EXCHANGE, 'erp.inventory.hold.place'),
      message(COMMANDS_EXCHANGE, 'mes.order.release'),
    ]);
    expect(await depth(erp.queue)).toBe(1);
    expect(await depth(UNROUTABLE_QUEUE)).toBe(1);
  });

  it('routes the retry and dead-letter exchanges by exact key only', async () => {
    await driver.publish([
      message(RETRY_EXCHANGE, quality.retryQueues[1].queue),
      message(RETRY_EXCHANGE, `${quality.retryQueues[1].queue}.other`),
      message(DEAD_LETTER_EXCHANGE, alarms.queue),
      message(DEAD_LETTER_EXCHANGE, 'threadline.*.events'),
    ]);
    expect(await depth(quality.retryQueues[0].queue)).toBe(0);
    expect(await depth(quality.retryQueues[1].queue)).toBe(1);
    expect(await depth(alarms.deadLetterQueue)).toBe(1);
    expect(await depth(quality.deadLetterQueue)).toBe(0);
  });

  it('routes the default exchange by queue name', async () => {
    await driver.publish([message('', exact.queue), message('', 'threadline.nobody.events')]);
    expect(await depth(exact.queue)).toBe(1);
    expect(await depth('threadline.nobody.events')).toBeUndefined();
  });

  it('rejects a batch naming an unknown exchange and publishes none of it', async () => {
    const batch = [
      message(EVENTS_EXCHANGE, 'quality.nonconformance.raised'),
      message('threadline.typo', 'quality.nonconformance.raised'),
    ];
    await expect(driver.publish(batch)).rejects.toThrow(
      "exchange 'threadline.typo' does not exist",
    );
    expect(await depth(quality.queue)).toBe(0);
  });

  it('declares a consumer queue idempotently, keeping its messages', async () => {
    await driver.publish([message(EVENTS_EXCHANGE, 'quality.nonconformance.raised')]);
    await driver.declareConsumerQueue({
      names: quality,
      bindings: [{ exchange: EVENTS_EXCHANGE, pattern: 'quality.#' }],
    });
    expect(await depth(quality.queue)).toBe(1);
    await driver.publish([message(EVENTS_EXCHANGE, 'quality.lot.released')]);
    expect(await depth(quality.queue)).toBe(2);
  });

  it('refuses a binding to an exchange that does not exist', async () => {
    const names = consumerQueueNames('typo', 'events', [30]);
    await expect(
      driver.declareConsumerQueue({
        names,
        bindings: [{ exchange: 'threadline.event', pattern: '#' }],
      }),
    ).rejects.toThrow("exchange 'threadline.event' does not exist");
  });
});
