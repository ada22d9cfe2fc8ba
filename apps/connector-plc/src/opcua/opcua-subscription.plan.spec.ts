import type { OpcUaItem } from '../plc-config.types';
import { groupByParameters, subscriptionTiming } from './opcua-subscription.plan';

const item = (tag: string, extra: Partial<OpcUaItem> = {}): OpcUaItem => ({
  nodeId: `ns=1;s=${tag}`,
  assetId: 'TS-01',
  tag,
  samplingIntervalMs: 100,
  queueSize: 10,
  ...extra,
});

describe('groupByParameters', () => {
  it('puts items with the same sampling interval, queue size and deadband in one group', () => {
    const items = [
      item('a'),
      item('b', { samplingIntervalMs: 1_000 }),
      item('c'),
      item('d', { deadband: { type: 'absolute', value: 0.5 } }),
      item('e', { deadband: { type: 'percent', value: 0.5 } }),
      item('f', { deadband: { type: 'absolute', value: 0.5 } }),
      item('g', { queueSize: 1 }),
    ];
    const tags = groupByParameters(items).map((group) => group.map((member) => member.tag));
    expect(tags).toEqual([['a', 'c'], ['b'], ['d', 'f'], ['e'], ['g']]);
  });

  it('makes no group of no items', () => {
    expect(groupByParameters([])).toEqual([]);
  });
});

describe('subscriptionTiming', () => {
  it('keeps alive about every 5 s and lives at least a minute', () => {
    expect(subscriptionTiming({ name: 's', publishingIntervalMs: 100, items: [] })).toEqual({
      requestedPublishingInterval: 100,
      requestedMaxKeepAliveCount: 50,
      requestedLifetimeCount: 600,
    });
  });

  it('keeps alive at least every 3 intervals and lives at least 3 keep-alives when slow', () => {
    expect(subscriptionTiming({ name: 's', publishingIntervalMs: 30_000, items: [] })).toEqual({
      requestedPublishingInterval: 30_000,
      requestedMaxKeepAliveCount: 3,
      requestedLifetimeCount: 9,
    });
  });
});
