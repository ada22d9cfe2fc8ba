import type { Observable } from 'rxjs';
import type { InboundMessage } from './pipeline/inbound-message';
import type { MessageProperties } from './pipeline/message-headers';
import type { Settlement } from './pipeline/settlement';
import type { ConsumerQueueNames } from './topology';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface QueueBinding {
  readonly exchange: string;
  readonly pattern: string;
}

export interface ConsumerQueueSpec {
  readonly names: ConsumerQueueNames;
  readonly bindings: readonly QueueBinding[];
}

export interface OutboundMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly body: Buffer;
  readonly properties: MessageProperties;
}

/** A delivery plus the driver's own handle for settling it. */
export interface DriverDelivery extends InboundMessage {
  readonly receipt: unknown;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly routingKey: string;
  readonly headers: Record<string, unknown>;
  readonly body: Buffer;
}

/**
 * What a broker must offer the runtime. RabbitMQ and the in-memory broker implement it; the
 * pipeline, consumers, relay and DLQ tools are written once against it.
 */
export interface BrokerDriver {
  readonly kind: 'rabbitmq' | 'in-memory';
  /** Current state first, then every change. */
  readonly state$: Observable<ConnectionState>;
  isConnected(): boolean;
  start(): Promise<void>;
  /** Idempotent; the driver declares it again after every reconnect. */
  declareConsumerQueue(spec: ConsumerQueueSpec): Promise<void>;
  /** The driver re-attaches the consumer after every reconnect until `cancelConsumers`. */
  consume(
    queue: string,
    prefetch: number,
    onDelivery: (delivery: DriverDelivery) => void,
  ): Promise<void>;
  cancelConsumers(): Promise<void>;
  /** Stops consuming one queue for good (a service shutting down); in-flight work can settle. */
  cancelConsumer(queue: string): Promise<void>;
  /** Acknowledges, or moves the message to its retry tier or dead-letter queue first. */
  settle(delivery: DriverDelivery, settlement: Settlement): Promise<void>;
  /** Resolves once the broker has confirmed every message; rejects when any is not. */
  publish(messages: readonly OutboundMessage[]): Promise<void>;
  /** Messages in a queue (for DLQ depth and tools); undefined when the queue does not exist. */
  queueDepth(queue: string): Promise<number | undefined>;
  /** Up to `limit` dead letters, left in place. */
  peekDeadLetters(deadLetterQueue: string, limit: number): Promise<DeadLetter[]>;
  /**
   * Moves dead letters accepted by `select` back to their original queue with a fresh attempt
   * count; returns how many moved. Each is confirmed before it leaves the DLQ.
   */
  redrive(
    deadLetterQueue: string,
    select: (letter: DeadLetter) => boolean,
    onProgress?: (moved: number) => void,
  ): Promise<number>;
  stop(): Promise<void>;
}
