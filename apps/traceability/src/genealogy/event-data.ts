import type { CanonicalDataMap } from '@threadline/contracts';
import type { CloudEventEnvelope } from '@threadline/schema-registry';

/**
 * The payload of an event the transport has validated against its schema, typed for `type`
 * (handlers dispatch on `event.type`, so the two agree).
 */
export function dataOf<T extends keyof CanonicalDataMap>(
  event: CloudEventEnvelope,
  type: T,
): CanonicalDataMap[T] {
  void type;
  return event.data as unknown as CanonicalDataMap[T];
}

/** A typed envelope as the publisher takes it. */
export function asEnvelope(event: object): CloudEventEnvelope {
  return event as unknown as CloudEventEnvelope;
}
