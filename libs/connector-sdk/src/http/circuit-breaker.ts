import type { TargetState } from '@threadline/observability';
import { systemClock, type Clock } from './clock';
import { CircuitOpenError } from './http.errors';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerSettings {
  /** Consecutive transient failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit rejects calls before letting one trial through. */
  openSeconds: number;
}

export interface CircuitBreakerOptions extends CircuitBreakerSettings {
  system: string;
  clock?: Clock;
  onStateChange?: (state: TargetState) => void;
}

/** The metric view of a circuit: closed = up, half-open = degraded, open = down. */
export const TARGET_STATE_OF_CIRCUIT: Readonly<Record<CircuitState, TargetState>> = {
  closed: 'up',
  'half-open': 'degraded',
  open: 'down',
};

/**
 * One call's admission. Report exactly one outcome: `succeeded` when the target answered
 * (even with a 4xx: it is reachable), `failed` for a transient failure, `abandoned` when the
 * call never reached the target. Later reports are ignored.
 */
export interface CircuitPermit {
  succeeded(): void;
  failed(): void;
  abandoned(): void;
}

/**
 * A circuit breaker per target system. The move from open to half-open happens when the next
 * call arrives after `openSeconds`, so no timer runs; while the one trial call is in flight,
 * other calls are rejected as if the circuit were open.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly clock: Clock;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  get circuitState(): CircuitState {
    return this.current;
  }

  state(): TargetState {
    return TARGET_STATE_OF_CIRCUIT[this.current];
  }

  /** Admits a call or throws `CircuitOpenError` without touching the target. */
  acquire(): CircuitPermit {
    if (this.current === 'open' && this.openElapsed()) this.moveTo('half-open');
    if (this.current === 'open' || (this.current === 'half-open' && this.trialInFlight)) {
      throw new CircuitOpenError(this.options.system);
    }
    const trial = this.current === 'half-open';
    if (trial) this.trialInFlight = true;
    let reported = false;
    const report = (outcome: () => void): void => {
      if (reported) return;
      reported = true;
      if (trial) this.trialInFlight = false;
      outcome();
    };
    return {
      succeeded: () => report(() => this.onSuccess()),
      failed: () => report(() => this.onFailure(trial)),
      abandoned: () => report(() => undefined),
    };
  }

  private onSuccess(): void {
    this.consecutiveFailures = 0;
    if (this.current !== 'closed') this.moveTo('closed');
  }

  private onFailure(trial: boolean): void {
    this.consecutiveFailures += 1;
    const shouldOpen =
      trial ||
      (this.current === 'closed' && this.consecutiveFailures >= this.options.failureThreshold);
    if (shouldOpen) {
      this.openedAt = this.clock.now();
      this.moveTo('open');
    }
  }

  private openElapsed(): boolean {
    return this.clock.now() - this.openedAt >= this.options.openSeconds * 1000;
  }

  private moveTo(next: CircuitState): void {
    this.current = next;
    this.options.onStateChange?.(TARGET_STATE_OF_CIRCUIT[next]);
  }
}
