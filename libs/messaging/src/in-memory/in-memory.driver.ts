import { ThreadlineError, TransientError } from '@threadline/core';
import type { Logger } from 'pino';
import { BehaviorSubject } from 'rxjs';
import type {
  BrokerDriver,
  ConnectionState,
  ConsumerQueueSpec,
  DeadLetter,
  DriverDelivery,
  OutboundMessage,
} from '../broker-driver';
import { Header, redriveHeaders } from '../pipeline/message-headers';
import { republicationOf, type Republication, type Settlement } from '../pipeline/settlement';
import { sourceQueueOf } from '../topology';
import { DEFAULT_EXCHANGE, declareConsumerTopology, InMemoryBroker } from './in-memory.broker';
import { InMemoryConsumers, receiptOf } from './in-memory.consumers';
import type { StoredMessage } from './in-memory.queue';

export interface InMemoryDriverOptions {
  /** Messages held at most, all queues and unacknowledged ones together (default 100,000). */
  readonly maxMessages?: number;
  readonly logger?: Logger;
}

export const DEFAULT_MAX_MESSAGES = 100_000;

/**
 * The broker of the embedded mode: one process, no RabbitMQ, the same semantics (the conformance
 * suite runs against both). Topic routing, retry tiers on real timers, dead-letter queues, manual
 * acks with a bounded prefetch, FIFO per queue. Deliveries are always asynchronous, so a publisher
 * is never re-entered by its own consumer. Memory is bounded: when full, publish fails like an
 * unreachable broker and the outbox keeps the rows. `simulateDisconnect` lets tests lose the
 * "connection" the way a RabbitMQ client does.
 */
export class InMemoryDriver implements BrokerDriver {
  readonly kind = 'in-memory' as const;
  readonly state$ = new BehaviorSubject<ConnectionState>('disconnected');
  private readonly broker = new InMemoryBroker(() => this.consumers.scheduleDispatch());
  private readonly consumers: InMemoryConsumers;
  private readonly specs = new Map<string, ConsumerQueueSpec>();
  private readonly maxMessages: number;

  constructor(options: InMemoryDriverOptions = {}) {
    this.maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
    if (!Number.isInteger(this.maxMessages) || this.maxMessages < 1) {
      throw new RangeError(`maxMessages must be an integer >= 1, got ${this.maxMessages}`);
    }
    this.consumers = new InMemoryConsumers(this.broker, () => this.isConnected(), options.logger);
  }

  isConnected(): boolean {
    return this.state$.value === 'connected';
  }

  start(): Promise<void> {
    if (!this.isConnected()) this.connect();
    return Promise.resolve();
  }

  declareConsumerQueue(spec: ConsumerQueueSpec): Promise<void> {
    return promised(() => {
      // Remembered first, like RabbitMQ's driver: declared again on every (re)connect.
      this.specs.set(spec.names.queue, spec);
      this.assertConnected('cannot declare queues');
      declareConsumerTopology(this.broker, spec);
    });
  }

  consume(queue: string, prefetch: number, onDelivery: (d: DriverDelivery) => void): Promise<void> {
    return promised(() => {
      // Consuming a missing queue fails on RabbitMQ too; while away, it is checked on reconnect.
      if (this.isConnected()) this.broker.queueNamed(queue);
      this.consumers.add(queue, prefetch, onDelivery);
    });
  }

  /** No new deliveries; those in flight can still be settled (graceful shutdown drains them). */
  cancelConsumers(): Promise<void> {
    this.consumers.cancelAll();
    return Promise.resolve();
  }

  cancelConsumer(queue: string): Promise<void> {
    this.consumers.cancel(queue);
    return Promise.resolve();
  }

  settle(delivery: DriverDelivery, settlement: Settlement): Promise<void> {
    return promised(() => {
      const receipt = receiptOf(delivery);
      const target = republicationOf(settlement, delivery.queue, delivery.headers);
      if (target) this.republish(delivery, target);
      // A stale receipt (disconnected meanwhile) finds nothing: the message is back in its
      // queue and comes again, as on RabbitMQ; the inbox absorbs the repeat.
      this.consumers.release(receipt);
    });
  }

  /** Routes every message or none; resolves at once (the "confirm" is immediate). */
  publish(messages: readonly OutboundMessage[]): Promise<void> {
    return promised(() => {
      this.assertConnected('nothing was published');
      // Route all first: an unknown exchange or a full broker rejects the whole batch.
      const routes = messages.map((message) =>
        this.broker.route(message.exchange, message.routingKey),
      );
      this.assertRoom(routes.reduce((sum, queues) => sum + queues.length, 0));
      messages.forEach((message, i) => {
        this.broker.store(routes[i], message.routingKey, {
          body: Buffer.from(message.body),
          properties: { ...message.properties, headers: { ...message.properties.headers } },
        });
      });
    });
  }

  /** Ready messages, like RabbitMQ's message count (unacknowledged ones not included). */
  queueDepth(queue: string): Promise<number | undefined> {
    return promised(() => {
      this.assertConnected('cannot read queue depth');
      return this.broker.readyCount(queue);
    });
  }

  peekDeadLetters(deadLetterQueue: string, limit: number): Promise<DeadLetter[]> {
    return promised(() => {
      this.assertConnected('cannot read dead letters');
      return this.broker.queueNamed(deadLetterQueue).messages.toArray(limit).map(toDeadLetter);
    });
  }

  redrive(
    deadLetterQueue: string,
    select: (letter: DeadLetter) => boolean,
    onProgress?: (moved: number) => void,
  ): Promise<number> {
    return promised(() => {
      this.assertConnected('nothing was re-driven');
      const letters = this.broker.queueNamed(deadLetterQueue).messages.takeAll();
      const kept: StoredMessage[] = [];
      let handled = 0;
      let moved = 0;
      try {
        for (const letter of letters) {
          if (select(toDeadLetter(letter))) {
            this.moveBack(deadLetterQueue, letter);
            handled++;
            moved++;
            onProgress?.(moved);
          } else {
            kept.push(letter);
            handled++;
          }
        }
        return moved;
      } finally {
        // The rest goes back in its order, also when `select` or a move threw midway.
        this.broker.returnToFront(deadLetterQueue, [...kept, ...letters.slice(handled)]);
      }
    });
  }

  stop(): Promise<void> {
    this.consumers.cancelAll();
    this.state$.next('closed');
    this.consumers.cancelDispatch();
    this.consumers.returnUnacked();
    this.broker.stopTimers();
    return Promise.resolve();
  }

  /** Test hook: the "connection" drops; unacknowledged messages go back to their queues. */
  simulateDisconnect(): void {
    if (!this.isConnected()) return;
    this.state$.next('disconnected');
    this.consumers.returnUnacked();
  }

  /** Test hook: the "connection" is back; topology declared again, consumers re-attached. */
  simulateReconnect(): void {
    if (this.state$.value === 'disconnected') this.connect();
  }

  private connect(): void {
    this.state$.next('connecting');
    for (const spec of this.specs.values()) declareConsumerTopology(this.broker, spec);
    this.broker.resumeTimers();
    this.state$.next('connected');
    this.consumers.scheduleDispatch();
  }

  private assertConnected(consequence: string): void {
    if (!this.isConnected()) {
      throw new TransientError(`in-memory broker is ${this.state$.value}; ${consequence}`);
    }
  }

  private assertRoom(copies: number): void {
    const held = this.broker.totalReady() + this.consumers.unackedCount();
    if (held + copies > this.maxMessages) {
      throw new TransientError(
        `in-memory broker full: ${held} messages held, ${copies} more would pass the limit of ${this.maxMessages}; nothing was published`,
      );
    }
  }

  /** A retry or dead letter leaves as a new message first; only then is the delivery acked. */
  private republish(delivery: DriverDelivery, target: Republication): void {
    this.assertConnected('message stays unacked');
    const { message } = receiptOf(delivery);
    const reached = this.broker.publish(target.exchange, target.routingKey, {
      ...message,
      properties: { ...message.properties, headers: target.headers },
    });
    if (reached.length === 0) {
      // RabbitMQ would drop it silently; here that is refused, so a missing tier shows.
      throw new ThreadlineError(
        'UNROUTABLE',
        `no queue bound to '${target.exchange}' with key '${target.routingKey}'; message stays unacked`,
      );
    }
  }

  private moveBack(deadLetterQueue: string, letter: StoredMessage): void {
    const original = letter.properties.headers[Header.OriginalQueue];
    const target = typeof original === 'string' ? original : sourceQueueOf(deadLetterQueue);
    // RabbitMQ's default exchange would drop it; here the letter stays in the DLQ instead.
    this.broker.queueNamed(target);
    const headers = redriveHeaders(letter.properties.headers);
    this.broker.publish(DEFAULT_EXCHANGE, target, {
      ...letter,
      properties: { ...letter.properties, headers },
    });
  }
}

function toDeadLetter(message: StoredMessage): DeadLetter {
  return {
    messageId: message.properties.messageId,
    routingKey: message.routingKey,
    headers: { ...message.properties.headers },
    body: Buffer.from(message.body),
  };
}

/** Runs synchronous work as the port's promise: a throw becomes a rejection. */
function promised<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
