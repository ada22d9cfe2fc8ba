/** What became of a delivery the first time it was handled. */
export type DeliveryOutcome =
  | { state: 'in-progress' }
  | { state: 'accepted'; id: string; idempotencykey: string }
  | { state: 'rejected' };

export interface WebhookReplayCacheOptions {
  /** Most deliveries remembered; the least recently seen is forgotten first. */
  maxEntries: number;
  /** How long a delivery is remembered (the signature window: a later replay is stale anyway). */
  ttlMs: number;
  now: () => number;
}

interface Entry {
  outcome: DeliveryOutcome;
  expiresAt: number;
}

/**
 * Remembers recent webhook deliveries by `X-Webhook-Id` so an exact replay (a vendor's retry or
 * redelivery) is answered at the door, without mapping or publishing again.
 *
 * Bounded and per process: it is an optimisation, not the guarantee. Across restarts and
 * replicas, the event's deterministic idempotency key and the consumers' inbox make a second
 * delivery harmless.
 */
export class WebhookReplayCache {
  // A Map iterates in insertion order: re-inserting on access makes the first key the oldest.
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: WebhookReplayCacheOptions) {}

  get(key: string): DeliveryOutcome | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.options.now()) return undefined;
    this.entries.set(key, entry);
    return entry.outcome;
  }

  set(key: string, outcome: DeliveryOutcome): void {
    this.entries.delete(key);
    this.entries.set(key, { outcome, expiresAt: this.options.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
