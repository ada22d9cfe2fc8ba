import type { Channel, ConsumeMessage } from 'amqplib';
import { AckTracker } from './ack-tracker';

describe('AckTracker', () => {
  const acked: [number, boolean][] = [];
  // A strict stand-in: anything but ack() fails the test.
  const channel = new Proxy({} as Channel, {
    get: (_target, property) => {
      if (property !== 'ack') throw new Error(`unexpected channel.${String(property)}`);
      return (message: ConsumeMessage, multiple: boolean) =>
        acked.push([message.fields.deliveryTag, multiple]);
    },
  });
  const message = (tag: number) => ({ fields: { deliveryTag: tag } }) as ConsumeMessage;

  beforeEach(() => (acked.length = 0));

  it('acknowledges a contiguous run once, with multiple', () => {
    const tracker = new AckTracker(channel);
    [1, 2, 3].forEach((tag) => tracker.delivered(message(tag)));
    tracker.settled(message(1));
    tracker.settled(message(2));
    tracker.settled(message(3));
    expect(acked).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
  });

  it('never acknowledges past an unsettled delivery', () => {
    const tracker = new AckTracker(channel);
    [1, 2, 3, 4].forEach((tag) => tracker.delivered(message(tag)));
    tracker.settled(message(3));
    tracker.settled(message(2));
    tracker.settled(message(4));
    expect(acked).toEqual([]);
    tracker.settled(message(1));
    expect(acked).toEqual([[4, true]]);
  });

  it('ignores a delivery it never saw (a channel from before a reconnect)', () => {
    const tracker = new AckTracker(channel);
    tracker.settled(message(42));
    expect(acked).toEqual([]);
  });

  it('keeps working across many deliveries', () => {
    const tracker = new AckTracker(channel);
    for (let tag = 1; tag <= 5_000; tag++) tracker.delivered(message(tag));
    for (let tag = 5_000; tag >= 1; tag--) tracker.settled(message(tag));
    expect(acked).toEqual([[5_000, true]]);
  });
});
