import { DEFAULT_RETRY_POLICY, nextRetryDelay, validateRetryPolicy } from './retry-policy';

describe('retry policy', () => {
  it('walks the tiers in order and repeats the last one', () => {
    const policy = { delaysMs: [10, 20, 30], maxAttempts: 6 };
    expect([1, 2, 3, 4, 5].map((failed) => nextRetryDelay(policy, failed))).toEqual([
      10, 20, 30, 30, 30,
    ]);
  });

  it('stops once the attempts are spent', () => {
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, 7)).toBe(600_000);
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, 8)).toBeUndefined();
  });

  it('defaults to 1 s, 5 s, 30 s, 2 min, 10 min and 8 attempts', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      delaysMs: [1_000, 5_000, 30_000, 120_000, 600_000],
      maxAttempts: 8,
    });
  });

  it.each([
    [{ delaysMs: [], maxAttempts: 3 }, /delaysMs/],
    [{ delaysMs: [100, -1], maxAttempts: 3 }, /delaysMs/],
    [{ delaysMs: [100], maxAttempts: 0 }, /maxAttempts/],
    [{ delaysMs: [100], maxAttempts: 1.5 }, /maxAttempts/],
  ])('rejects %j', (policy, message) => {
    expect(() => validateRetryPolicy(policy)).toThrow(message);
  });
});
