/**
 * Failed authentications per client (its address) in a fixed window: past the limit the client
 * is refused (429 with Retry-After) until the window ends, even with a good credential, so a
 * guesser gains nothing by going on. Memory is bounded: at most `maxClients` are tracked, the
 * oldest windows dropped first.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxClients = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the client must wait, or 0 when it may try. */
  retryAfterSeconds(client: string): number {
    const window = this.current(client);
    if (!window || window.failures < this.limit) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - this.now()) / 1000));
  }

  /** Counts a failure; answers the seconds to wait if this one reached the limit, else 0. */
  fail(client: string): number {
    let window = this.current(client);
    if (!window) {
      if (this.windows.size >= this.maxClients) this.evict();
      window = { start: this.now(), failures: 0 };
      this.windows.set(client, window);
    }
    window.failures += 1;
    return this.retryAfterSeconds(client);
  }

  private current(client: string): { start: number; failures: number } | undefined {
    const window = this.windows.get(client);
    if (window && this.now() - window.start >= this.windowMs) {
      this.windows.delete(client);
      return undefined;
    }
    return window;
  }

  private evict(): void {
    const now = this.now();
    for (const [client, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(client);
    }
    // Still full: drop the oldest (Map keeps insertion order).
    while (this.windows.size >= this.maxClients) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
  }
}
