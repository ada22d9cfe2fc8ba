import { TransientError } from '@threadline/core';
import { ManualClock } from './manual-clock';
import { TokenBucketRateLimiter } from './rate-limiter';

function track(limiter: TokenBucketRateLimiter, count: number, clock: ManualClock) {
  const admittedAt: number[] = [];
  const order: number[] = [];
  const done = Array.from({ length: count }, (_, index) =>
    limiter.acquire().then(() => {
      admittedAt.push(clock.now());
      order.push(index);
    }),
  );
  return { admittedAt, order, done: Promise.all(done) };
}

describe('TokenBucketRateLimiter', () => {
  it('admits the burst at once, then one request per 1/rps seconds in FIFO order', async () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter(
      { requestsPerSecond: 10, burst: 3 },
      { system: 'mes', clock },
    );
    const { admittedAt, order, done } = track(limiter, 6, clock);
    await clock.advance(0);
    expect(admittedAt).toEqual([0, 0, 0]);
    await clock.advance(99);
    expect(admittedAt).toHaveLength(3);
    await clock.advance(1);
    expect(admittedAt).toEqual([0, 0, 0, 100]);
    await clock.advance(200);
    await done;
    expect(admittedAt).toEqual([0, 0, 0, 100, 200, 300]);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('waits by sleeping once per token, not by polling', async () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter({ requestsPerSecond: 2 }, { system: 'mes', clock });
    const { admittedAt } = track(limiter, 3, clock);
    await clock.advance(0);
    expect(clock.pendingSleeps).toBe(1);
    await clock.advance(1000);
    expect(admittedAt).toEqual([0, 500, 1000]);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('refills up to the burst after a quiet spell, never beyond', async () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter(
      { requestsPerSecond: 10, burst: 2 },
      { system: 'mes', clock },
    );
    await clock.advance(60_000);
    const { admittedAt } = track(limiter, 3, clock);
    await clock.advance(0);
    expect(admittedAt).toEqual([60_000, 60_000]);
    await clock.advance(100);
    expect(admittedAt).toEqual([60_000, 60_000, 60_100]);
  });

  it('rejects with a TransientError beyond maxWaiters', async () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter(
      { requestsPerSecond: 1 },
      { system: 'mes', clock, maxWaiters: 2 },
    );
    await limiter.acquire();
    const waiting = [limiter.acquire(), limiter.acquire()];
    await expect(limiter.acquire()).rejects.toThrow(TransientError);
    await expect(limiter.acquire()).rejects.toThrow('rate limit queue for mes is full');
    await clock.advance(2000);
    await Promise.all(waiting);
  });

  it('rejects waiting and later callers when closed', async () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter({ requestsPerSecond: 1 }, { system: 'mes', clock });
    await limiter.acquire();
    const waiting = limiter.acquire();
    limiter.close();
    await expect(waiting).rejects.toThrow('HTTP client for mes is closed');
    await expect(limiter.acquire()).rejects.toThrow(TransientError);
    expect(limiter.waiting).toBe(0);
  });
});
