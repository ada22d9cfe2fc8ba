import { TransientError } from '@threadline/core';
import { systemClock, type Clock } from './clock';

export interface RateLimitSettings {
  requestsPerSecond: number;
  /** Requests allowed back to back after a quiet spell; defaults to 1 (evenly spaced). */
  burst?: number;
}

export interface TokenBucketOptions {
  system: string;
  clock?: Clock;
  /** Callers allowed to wait; beyond it `acquire` rejects at once. */
  maxWaiters?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

export const DEFAULT_MAX_WAITERS = 1000;

/**
 * A client-side token bucket. Callers that find no token wait in FIFO order; one drain loop
 * sleeps until the head's token is due (no polling), so waiting costs nothing. The queue is
 * bounded: a caller beyond `maxWaiters` gets a TransientError and its message a retry tier.
 */
export class TokenBucketRateLimiter {
  private tokens: number;
  private refilledAt: number;
  private readonly waiters: Waiter[] = [];
  private draining = false;
  private closed = false;
  private readonly clock: Clock;
  private readonly burst: number;
  private readonly maxWaiters: number;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly options: TokenBucketOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.burst = settings.burst ?? 1;
    this.maxWaiters = options.maxWaiters ?? DEFAULT_MAX_WAITERS;
    this.tokens = this.burst;
    this.refilledAt = this.clock.now();
  }

  get waiting(): number {
    return this.waiters.length;
  }

  acquire(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    this.refill();
    if (this.waiters.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    if (this.waiters.length >= this.maxWaiters) {
      return Promise.reject(
        new TransientError(
          `rate limit queue for ${this.options.system} is full (${this.maxWaiters} waiting)`,
        ),
      );
    }
    const admitted = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    void this.drain();
    return admitted;
  }

  /** Rejects every waiter; later calls are rejected at once. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.closedError());
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.waiters.length > 0) {
        this.refill();
        if (this.tokens >= 1) {
          this.tokens -= 1;
          this.waiters.shift()?.resolve();
        } else {
          const missing = 1 - this.tokens;
          await this.clock.sleep(Math.ceil((missing * 1000) / this.settings.requestsPerSecond));
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const earned = ((now - this.refilledAt) * this.settings.requestsPerSecond) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + earned);
    this.refilledAt = now;
  }

  private closedError(): TransientError {
    return new TransientError(`HTTP client for ${this.options.system} is closed`);
  }
}
