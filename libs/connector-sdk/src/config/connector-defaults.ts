import type { CircuitBreakerSettings } from '../http/circuit-breaker';
import type { RetrySettings } from './connector-config.types';

/** A connector's `retry` when its configuration has none. */
export const DEFAULT_RETRY: RetrySettings = {
  maxAttempts: 3,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
};

/** A connector's `circuitBreaker` when its configuration has none. */
export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerSettings = {
  failureThreshold: 5,
  openSeconds: 30,
};
