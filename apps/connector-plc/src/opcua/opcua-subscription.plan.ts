import type { OpcUaItem, OpcUaSubscription } from '../plc-config.types';

export interface SubscriptionTiming {
  requestedPublishingInterval: number;
  /** Publishing intervals without data before the server sends a keep-alive. */
  requestedMaxKeepAliveCount: number;
  /** Publishing intervals without a publish request before the server drops the subscription. */
  requestedLifetimeCount: number;
}

/**
 * A keep-alive about every 5 s (at least every 3 intervals), and a lifetime of at least a minute
 * and three keep-alives, so the server keeps the subscription through a reconnection.
 */
export function subscriptionTiming(subscription: OpcUaSubscription): SubscriptionTiming {
  const interval = subscription.publishingIntervalMs;
  const maxKeepAliveCount = Math.max(3, Math.ceil(5_000 / interval));
  return {
    requestedPublishingInterval: interval,
    requestedMaxKeepAliveCount: maxKeepAliveCount,
    requestedLifetimeCount: Math.max(3 * maxKeepAliveCount, Math.ceil(60_000 / interval)),
  };
}

/**
 * Monitored items are created in groups, one CreateMonitoredItems call each; a group shares its
 * monitoring parameters, so items go together when their sampling interval, queue size and
 * deadband are the same. Groups and the items in them keep the configured order.
 */
export function groupByParameters(items: readonly OpcUaItem[]): OpcUaItem[][] {
  const groups = new Map<string, OpcUaItem[]>();
  for (const item of items) {
    const deadband = item.deadband === undefined ? null : [item.deadband.type, item.deadband.value];
    const key = JSON.stringify([item.samplingIntervalMs, item.queueSize, deadband]);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()];
}
