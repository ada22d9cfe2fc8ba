import { isRetryable } from '@threadline/core';
import type { RetrySettings } from '../config/connector-config.types';
import { systemClock, type Clock } from './clock';

/**
 * The one retry/backoff block of the connector SDK, with the same fields as `retry` in a
 * connector config: `maxAttempts` (first try included), `initialDelayMs`, `maxDelayMs`.
 *
 * Delays are exponential with full jitter (a random delay between 0 and
 * min(maxDelayMs, initialDelayMs * 2^(retry - 1))), so many clients recovering at once do not
 * retry in step. A Retry-After from the target is honoured exactly when it is at most
 * `maxDelayMs`; a longer one ends in-process retrying at once, and the error (which carries
 * `retryAfterMs`) goes to the broker's retry tiers, so a consumer is never held for minutes.
 */
export type RetryPolicy = RetrySettings;

export interface RetryOptions {
  clock?: Clock;
  /** A number in [0, 1); injected so tests get exact delays. */
  random?: () => number;
  /** Whether an error is worth another attempt; defaults to `isRetryable` from core. */
  shouldRetry?: (error: unknown) => boolean;
}

/** The jittered delay before retry number `retry` (1 for the first retry). */
export function backoffDelayMs(
  policy: RetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A Retry-After header value (delay in seconds or an HTTP-date) as milliseconds from `nowMs`;
 * `undefined` when absent or unreadable, 0 for a date in the past.
 */
export function parseRetryAfterMs(value: unknown, nowMs: number): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Numbers that are not delay-seconds (negative, fractional) are not dates either.
  if (/^[-+\d.]+$/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Runs `operation`, retrying retryable failures per `policy`; the last error is thrown. */
export async function runWithRetry<Result>(
  operation: (attempt: number) => Promise<Result>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<Result> {
  const clock = options.clock ?? systemClock;
  const shouldRetry = options.shouldRetry ?? isRetryable;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= policy.maxAttempts || !shouldRetry(error)) throw error;
      const requested = retryAfterOf(error);
      if (requested !== undefined && requested > policy.maxDelayMs) throw error;
      await clock.sleep(requested ?? backoffDelayMs(policy, attempt, options.random));
    }
  }
}

function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('retryAfterMs' in error)) return undefined;
  const value = error.retryAfterMs;
  return typeof value === 'number' ? value : undefined;
}
