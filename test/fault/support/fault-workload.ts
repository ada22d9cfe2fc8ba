import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { nonconformanceRaised } from '@threadline/testing';

export const EVENT_COUNT = Number(process.env.FAULT_EVENT_COUNT ?? 10_000);
/** Every twentieth event (5%) repeats the idempotencykey of an earlier one. */
const REPEAT_EVERY = 20;

export interface Workload {
  readonly events: CloudEventEnvelope[];
  readonly uniqueKeys: ReadonlySet<string>;
}

/**
 * 10,000 valid events, 5% of them repeating an earlier idempotencykey with a new event id. Keys
 * start with `keyPrefix`, so counts ignore events that others publish on a shared broker.
 */
export function buildWorkload(keyPrefix: string, count = EVENT_COUNT): Workload {
  const events: CloudEventEnvelope[] = [];
  for (let i = 0; i < count; i++) {
    const repeat = i % REPEAT_EVERY === REPEAT_EVERY - 1;
    // Repeat a key from well before, so original and repeat travel in different batches.
    const earlier = events[Math.floor(i / 2)];
    events.push(
      nonconformanceRaised({ key: repeat ? earlier.idempotencykey : `${keyPrefix}${i}` }),
    );
  }
  return { events, uniqueKeys: new Set(events.map((event) => event.idempotencykey)) };
}

/** Splits into chunks of `size` (one outbox transaction each). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
