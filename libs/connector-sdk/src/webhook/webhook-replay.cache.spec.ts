import { WebhookReplayCache } from './webhook-replay.cache';

describe('WebhookReplayCache', () => {
  const accepted = (n: number) => ({
    state: 'accepted' as const,
    id: `e${n}`,
    idempotencykey: `k${n}`,
  });

  it('forgets the least recently seen delivery beyond its size', () => {
    const cache = new WebhookReplayCache({ maxEntries: 2, ttlMs: 60_000, now: () => 0 });
    cache.set('a', accepted(1));
    cache.set('b', accepted(2));
    expect(cache.get('a')).toEqual(accepted(1)); // a is now the most recent
    cache.set('c', accepted(3));

    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(accepted(1));
    expect(cache.get('c')).toEqual(accepted(3));
  });

  it('forgets a delivery when its time is up', () => {
    let now = 1_000;
    const cache = new WebhookReplayCache({ maxEntries: 10, ttlMs: 500, now: () => now });
    cache.set('a', { state: 'rejected' });
    now = 1_499;
    expect(cache.get('a')).toEqual({ state: 'rejected' });
    now = 1_500;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
