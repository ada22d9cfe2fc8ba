import type { CanonicalDataMap } from '@threadline/contracts';
import type { CloudEventEnvelope } from '@threadline/schema-registry';

/** The payload of an event the transport has validated, typed for its type. */
export function dataOf<T extends keyof CanonicalDataMap>(
  event: CloudEventEnvelope,
  type: T,
): CanonicalDataMap[T] {
  void type;
  return event.data as unknown as CanonicalDataMap[T];
}
