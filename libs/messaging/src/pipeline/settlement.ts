import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { DeadLetterKind } from './message-headers';

/** What the transport must do with a delivery once the pipeline has processed it. */
export type Settlement =
  | { readonly kind: 'ack'; readonly event: CloudEventEnvelope }
  | { readonly kind: 'duplicate'; readonly event: CloudEventEnvelope }
  | {
      readonly kind: 'retry';
      readonly delayMs: number;
      /** Failed attempts, this one included. */
      readonly attempts: number;
      readonly error: string;
      readonly event: CloudEventEnvelope;
    }
  | {
      readonly kind: 'dead-letter';
      readonly errorKind: DeadLetterKind;
      readonly attempts: number;
      readonly error: string;
      readonly event?: CloudEventEnvelope;
    };

export type SettlementKind = Settlement['kind'];

/** Metric label of a settlement (threadline_messages_consumed_total{outcome}). */
export function outcomeLabel(settlement: Settlement): 'ack' | 'duplicate' | 'retry' | 'dlq' {
  switch (settlement.kind) {
    case 'ack':
      return 'ack';
    case 'duplicate':
      return 'duplicate';
    case 'retry':
      return 'retry';
    case 'dead-letter':
      return 'dlq';
  }
}
