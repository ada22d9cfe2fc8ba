/**
 * One retry/backoff block with the same fields everywhere (STYLE.md §9): the delay tiers a failed
 * message waits in, and how many attempts it gets in all before it is dead-lettered.
 */
export interface RetryPolicy {
  /** Delay before attempt n+1 after attempt n failed; the last tier repeats. */
  readonly delaysMs: readonly number[];
  /** Attempts in all, the first delivery included. */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  delaysMs: [1_000, 5_000, 30_000, 120_000, 600_000],
  maxAttempts: 8,
};

/**
 * The delay before the next attempt, or undefined when `failedAttempts` has used up the policy.
 */
export function nextRetryDelay(policy: RetryPolicy, failedAttempts: number): number | undefined {
  if (failedAttempts >= policy.maxAttempts) return undefined;
  const tier = Math.min(failedAttempts, policy.delaysMs.length) - 1;
  return policy.delaysMs[Math.max(tier, 0)];
}

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  if (policy.delaysMs.length === 0 || policy.delaysMs.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError('retry delaysMs must be a non-empty list of positive integers');
  }
  return policy;
}
