import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { DEAD_LETTER_EXCHANGE, RETRY_EXCHANGE, retryQueueName } from '../topology';
import { failureHeaders, type DeadLetterKind, type MessageHeaders } from './message-headers';

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

/** Where a failed message goes before it is acknowledged, with the headers it carries there. */
export interface Republication {
  readonly exchange: string;
  readonly routingKey: string;
  readonly headers: MessageHeaders;
}

/**
 * The retry tier or dead-letter queue a settlement sends its message to (EVENT-CATALOG §2);
 * undefined for ack and duplicate. Every driver routes through this, so they cannot disagree.
 */
export function republicationOf(
  settlement: Settlement,
  queue: string,
  headers: MessageHeaders,
): Republication | undefined {
  switch (settlement.kind) {
    case 'ack':
    case 'duplicate':
      return undefined;
    case 'retry':
      return {
        exchange: RETRY_EXCHANGE,
        routingKey: retryQueueName(queue, settlement.delayMs),
        headers: failureHeaders(headers, {
          attempts: settlement.attempts,
          error: settlement.error,
          queue,
        }),
      };
    case 'dead-letter':
      return {
        exchange: DEAD_LETTER_EXCHANGE,
        routingKey: queue,
        headers: failureHeaders(headers, {
          attempts: settlement.attempts,
          error: settlement.error,
          queue,
          kind: settlement.errorKind,
        }),
      };
  }
}
