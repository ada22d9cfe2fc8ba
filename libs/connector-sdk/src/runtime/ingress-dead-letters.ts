import { randomUUID } from 'node:crypto';
import {
  DEAD_LETTER_EXCHANGE,
  Header,
  consumerQueueNames,
  failureHeaders,
  type BrokerDriver,
} from '@threadline/messaging';
import type { MappingRejection, MappingRejectionSink } from '../mapping/mapping-rejection';

/**
 * Sends vendor payloads a connector could not map to `threadline.<service>.ingress.dlq`: the
 * body is the whole rejection (payload, mapping output, errors), the headers those of every
 * dead letter (`x-error-kind: validation`, the errors as `x-error-message`). Publishing is
 * confirmed; when it fails the caller keeps the payload (the poll does not advance its cursor,
 * the webhook answers 503), so nothing is lost.
 */
export class IngressDeadLetters implements MappingRejectionSink {
  private readonly names;
  private declared?: Promise<void>;

  constructor(
    private readonly driver: BrokerDriver,
    service: string,
    retryDelaysMs: readonly number[],
  ) {
    this.names = consumerQueueNames(service, 'ingress', retryDelaysMs);
  }

  get deadLetterQueue(): string {
    return this.names.deadLetterQueue;
  }

  /** Declares the queue and its DLQ (no bindings: nothing but dead letters ever arrives). */
  declare(): Promise<void> {
    this.declared ??= this.driver
      .declareConsumerQueue({ names: this.names, bindings: [] })
      .catch((error: unknown) => {
        this.declared = undefined;
        throw error;
      });
    return this.declared;
  }

  async reject(rejection: MappingRejection): Promise<void> {
    await this.declare();
    const id = randomUUID();
    const errors = rejection.errors
      .map((issue) => `${issue.path || '(root)'} ${issue.message}`)
      .join('; ');
    const headers = failureHeaders(
      { [Header.IdempotencyKey]: `${rejection.connector}:${id}:rejected` },
      {
        attempts: 1,
        error: `${rejection.mapping} (${rejection.reason}) for ${rejection.eventType}: ${errors}`,
        queue: this.names.queue,
        kind: 'validation',
      },
    );
    await this.driver.publish([
      {
        exchange: DEAD_LETTER_EXCHANGE,
        routingKey: this.names.queue,
        body: Buffer.from(JSON.stringify(rejection)),
        properties: {
          contentType: 'application/json',
          messageId: id,
          correlationId: id,
          type: 'threadline.mapping.rejected',
          timestamp: Math.floor(Date.now() / 1000),
          persistent: true,
          headers,
        },
      },
    ]);
  }
}
