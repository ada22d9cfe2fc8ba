import { ThreadlineError } from '@threadline/core';
import type { MetricsRegistry, TargetState } from '@threadline/observability';
import type { CircuitBreakerSettings } from './circuit-breaker';
import type { Clock } from './clock';
import type { RateLimitSettings } from './rate-limiter';
import type { RetryPolicy } from './retry-policy';

export interface PolicyHttpClientOptions {
  /** The target's name, used in errors and as the `system` metric label (bounded). */
  system: string;
  baseUrl: string;
  /** Per attempt: a request without a complete response by then is a transient failure. */
  timeoutMs: number;
  retry: RetryPolicy;
  circuitBreaker: CircuitBreakerSettings;
  rateLimit?: RateLimitSettings;
  /** Headers sent on every request (Authorization, API key). Never copied into errors. */
  auth?: { headers: Record<string, string> };
  onStateChange?: (state: TargetState) => void;
  /** When given, `threadline_connector_target_up{system}` follows the circuit. */
  metrics?: MetricsRegistry;
  clock?: Clock;
  random?: () => number;
  /** Callers allowed to wait for the rate limit; defaults to 1000. */
  maxQueuedRequests?: number;
}

type Check = [field: string, valid: boolean, rule: string];

/** Throws one CONFIGURATION_INVALID error listing every bad option, each with its rule. */
export function validatePolicyHttpOptions(options: PolicyHttpClientOptions): void {
  const positive = (value: number | undefined): boolean =>
    typeof value === 'number' && Number.isFinite(value) && value > 0;
  const whole = (value: number | undefined): boolean =>
    typeof value === 'number' && Number.isInteger(value) && value >= 1;
  const checks: Check[] = [
    ['system', options.system?.trim().length > 0, 'must be a non-empty string'],
    ['baseUrl', isHttpUrl(options.baseUrl), 'must be an absolute http(s) URL'],
    ['timeoutMs', positive(options.timeoutMs), 'must be a number above 0'],
    ['retry.maxAttempts', whole(options.retry?.maxAttempts), 'must be an integer of at least 1'],
    ['retry.initialDelayMs', options.retry?.initialDelayMs >= 0, 'must be 0 or more'],
    [
      'retry.maxDelayMs',
      options.retry?.maxDelayMs >= options.retry?.initialDelayMs,
      'must be at least retry.initialDelayMs',
    ],
    [
      'circuitBreaker.failureThreshold',
      whole(options.circuitBreaker?.failureThreshold),
      'must be an integer of at least 1',
    ],
    [
      'circuitBreaker.openSeconds',
      positive(options.circuitBreaker?.openSeconds),
      'must be above 0',
    ],
  ];
  if (options.rateLimit) {
    const { requestsPerSecond, burst } = options.rateLimit;
    checks.push(['rateLimit.requestsPerSecond', positive(requestsPerSecond), 'must be above 0']);
    checks.push([
      'rateLimit.burst',
      burst === undefined || whole(burst),
      'must be an integer of at least 1',
    ]);
  }
  const problems = checks
    .filter(([, valid]) => !valid)
    .map(([field, , rule]) => `${field} ${rule}`);
  if (problems.length > 0) {
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      `HTTP client options for ${String(options.system)}: ${problems.join('; ')}`,
    );
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
