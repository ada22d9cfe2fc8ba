import type { RequestLogEntry, StoredResponse, SystemName } from '../simulator.types';
import { createInitialState, type SimulatorState } from './simulator-state';

/**
 * Owns the in-memory state and the two things every change needs: a strictly increasing clock
 * (so change timestamps never tie and `gt` filters never skip or repeat a record) and a global
 * change sequence (for opaque cursors).
 */
export class SimulatorStore {
  private current: SimulatorState;

  constructor(private readonly initialWebhookUrls: string[]) {
    this.current = createInitialState(initialWebhookUrls, Date.now());
  }

  get state(): SimulatorState {
    return this.current;
  }

  reset(): void {
    this.current = createInitialState(this.initialWebhookUrls, Date.now());
  }

  /** Wall-clock time, but never equal to or earlier than the previous call. */
  now(): string {
    const counters = this.current.counters;
    counters.lastTimestampMs = Math.max(Date.now(), counters.lastTimestampMs + 1);
    return new Date(counters.lastTimestampMs).toISOString();
  }

  nextSequence(): number {
    this.current.counters.sequence += 1;
    return this.current.counters.sequence;
  }

  /** Vendor-looking ids: `nextId('NC-', 6)` -> `NC-000001`. */
  nextId(prefix: string, digits: number, start = 1): string {
    const ids = this.current.counters.ids;
    const value = (ids[prefix] ?? start - 1) + 1;
    ids[prefix] = value;
    return `${prefix}${String(value).padStart(digits, '0')}`;
  }

  log(system: SystemName, entry: RequestLogEntry): void {
    this.current.requestLog[system].push(entry);
  }

  /**
   * Runs `create` once per idempotency key; later calls with the same key get the first
   * response back unchanged. Without a key every call creates.
   */
  idempotent(
    system: SystemName,
    scope: string,
    key: string | undefined,
    create: () => StoredResponse,
  ): StoredResponse {
    if (!key) return create();
    const storeKey = `${system}:${scope}:${key}`;
    const existing = this.current.idempotency[storeKey];
    if (existing) return existing;
    const response = create();
    if (response.status < 400) this.current.idempotency[storeKey] = response;
    return response;
  }
}
