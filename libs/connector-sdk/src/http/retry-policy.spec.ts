import { PermanentError, TransientError } from '@threadline/core';
import { ManualClock } from './manual-clock';
import { backoffDelayMs, parseRetryAfterMs, runWithRetry, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 500 };

describe('backoffDelayMs', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 500],
    [10, 500],
  ])('caps retry %i at %i ms', (retry, ceiling) => {
    expect(backoffDelayMs(policy, retry, () => 0.999999)).toBe(ceiling - 1);
    expect(backoffDelayMs(policy, retry, () => 0)).toBe(0);
  });

  it('spreads delays with full jitter', () => {
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(200);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it.each([
    ['1', 1000],
    ['0', 0],
    [' 120 ', 120_000],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
  ])('reads %p as %i ms', (value, expected) => {
    expect(parseRetryAfterMs(value, now)).toBe(expected);
  });

  it.each([[undefined], [''], ['soon'], ['-3'], ['1.5'], [42]])('ignores %p', (value) => {
    expect(parseRetryAfterMs(value, now)).toBeUndefined();
  });
});

describe('runWithRetry', () => {
  function failing(errors: Error[], result = 'done') {
    const attempts: number[] = [];
    const operation = (attempt: number) => {
      attempts.push(attempt);
      const error = errors.shift();
      return error ? Promise.reject(error) : Promise.resolve(result);
    };
    return { attempts, operation };
  }

  it('retries transient failures with backoff until one succeeds', async () => {
    const clock = new ManualClock();
    const { attempts, operation } = failing([new TransientError('a'), new TransientError('b')]);
    const running = runWithRetry(operation, policy, { clock, random: () => 0.5 });
    await clock.advance(49);
    expect(attempts).toEqual([1]);
    await clock.advance(1); // 50 ms = half of 100
    expect(attempts).toEqual([1, 2]);
    await clock.advance(100); // half of 200
    await expect(running).resolves.toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('throws a permanent failure at once', async () => {
    const { attempts, operation } = failing([new PermanentError('bad request')]);
    await expect(runWithRetry(operation, policy, { clock: new ManualClock() })).rejects.toThrow(
      PermanentError,
    );
    expect(attempts).toEqual([1]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const clock = new ManualClock();
    const errors = [1, 2, 3, 4].map((index) => new TransientError(`failure ${index}`));
    const { attempts, operation } = failing(errors);
    const running = runWithRetry(operation, policy, { clock, random: () => 0 });
    const outcome = expect(running).rejects.toThrow('failure 4');
    await clock.advance(0);
    await outcome;
    expect(attempts).toEqual([1, 2, 3, 4]);
  });

  it('waits exactly the Retry-After asked for when it is within maxDelayMs', async () => {
    const clock = new ManualClock();
    const asked = Object.assign(new TransientError('busy'), { retryAfterMs: 300 });
    const { attempts, operation } = failing([asked]);
    const running = runWithRetry(operation, policy, { clock, random: () => 0 });
    await clock.advance(299);
    expect(attempts).toEqual([1]);
    await clock.advance(1);
    await expect(running).resolves.toBe('done');
  });

  it('stops retrying when Retry-After is longer than maxDelayMs', async () => {
    const asked = Object.assign(new TransientError('busy'), { retryAfterMs: 60_000 });
    const { attempts, operation } = failing([asked]);
    await expect(runWithRetry(operation, policy, { clock: new ManualClock() })).rejects.toBe(asked);
    expect(attempts).toEqual([1]);
  });

  it('asks shouldRetry before retrying', async () => {
    const { attempts, operation } = failing([new TransientError('no')]);
    const running = runWithRetry(operation, policy, {
      clock: new ManualClock(),
      shouldRetry: () => false,
    });
    await expect(running).rejects.toThrow('no');
    expect(attempts).toEqual([1]);
  });
});
