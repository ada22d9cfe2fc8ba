import { consumerQueueNames, sourceQueueOf, topicMatches } from './topology';

describe('topicMatches', () => {
  it.each([
    ['#', 'quality.nonconformance.raised', true],
    ['quality.#', 'quality.nonconformance.raised', true],
    ['quality.#', 'quality', true],
    ['quality.*', 'quality.nonconformance.raised', false],
    ['quality.*.raised', 'quality.nonconformance.raised', true],
    ['*.nonconformance.*', 'quality.nonconformance.closed', true],
    ['#.raised', 'equipment.alarm.raised', true],
    ['#.raised', 'equipment.alarm.cleared', false],
    ['erp.inventory.hold.place', 'erp.inventory.hold.place', true],
    ['erp.inventory.hold.place', 'erp.inventory.hold.placed', false],
    ['a.#.d', 'a.b.c.d', true],
    ['a.#.d', 'a.d', true],
    ['a.#.d', 'a.b.c', false],
  ])('%s vs %s -> %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});

describe('queue names', () => {
  it('derives the dead-letter and retry queues of a consumer queue', () => {
    const names = consumerQueueNames('orchestrator', 'events', [1000, 5000]);
    expect(names).toEqual({
      queue: 'threadline.orchestrator.events',
      deadLetterQueue: 'threadline.orchestrator.events.dlq',
      retryQueues: [
        { delayMs: 1000, queue: 'threadline.orchestrator.events.retry.1000ms' },
        { delayMs: 5000, queue: 'threadline.orchestrator.events.retry.5000ms' },
      ],
    });
    expect(sourceQueueOf(names.deadLetterQueue)).toBe(names.queue);
  });
});
