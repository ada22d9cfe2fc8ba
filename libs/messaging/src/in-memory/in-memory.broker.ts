import { ThreadlineError } from '@threadline/core';
import type { ConsumerQueueSpec } from '../broker-driver';
import {
  COMMANDS_EXCHANGE,
  DEAD_LETTER_EXCHANGE,
  EVENTS_EXCHANGE,
  RETRY_EXCHANGE,
  topicMatches,
  UNROUTABLE_EXCHANGE,
  UNROUTABLE_QUEUE,
} from '../topology';
import { MemoryQueue, type QueueOptions, type StoredMessage } from './in-memory.queue';

export type MessageContent = Pick<StoredMessage, 'body' | 'properties'>;

type ExchangeType = 'topic' | 'direct' | 'fanout';

interface Exchange {
  readonly type: ExchangeType;
  /** Where messages that match no binding go (RabbitMQ's alternate exchange). */
  readonly alternate?: string;
  readonly bindings: { readonly queue: string; readonly pattern: string }[];
}

/** The nameless exchange: routing key = queue name, as in AMQP. */
export const DEFAULT_EXCHANGE = '';

/**
 * Exchanges, queues and bindings of one process, routed exactly like the RabbitMQ topology
 * (rabbitmq-topology.ts): topic exchanges for events and commands, the unroutable alternate for
 * commands nobody consumes, direct exchanges for retry tiers and dead letters, and TTL queues that
 * hand expired messages back. Synchronous; delivery to consumers is the driver's business.
 */
export class InMemoryBroker {
  private readonly exchanges = new Map<string, Exchange>();
  private readonly queues = new Map<string, MemoryQueue>();
  private timersRunning = true;

  /** `onEnqueued` is told the queue that just received a message. */
  constructor(private readonly onEnqueued: (queue: string) => void) {
    this.exchanges.set(UNROUTABLE_EXCHANGE, { type: 'fanout', bindings: [] });
    this.declareQueue(UNROUTABLE_QUEUE);
    this.bind(UNROUTABLE_QUEUE, UNROUTABLE_EXCHANGE, '');
    this.exchanges.set(EVENTS_EXCHANGE, { type: 'topic', bindings: [] });
    // A command nobody consumes is a fault, not a fact nobody cares about: keep it.
    this.exchanges.set(COMMANDS_EXCHANGE, {
      type: 'topic',
      alternate: UNROUTABLE_EXCHANGE,
      bindings: [],
    });
    this.exchanges.set(RETRY_EXCHANGE, { type: 'direct', bindings: [] });
    this.exchanges.set(DEAD_LETTER_EXCHANGE, { type: 'direct', bindings: [] });
  }

  /** Idempotent: an existing queue keeps its options and its messages. */
  declareQueue(name: string, options: QueueOptions = {}): void {
    if (!this.queues.has(name)) this.queues.set(name, new MemoryQueue(name, options));
  }

  /** Idempotent: binding the same queue and pattern twice routes one copy. */
  bind(queue: string, exchange: string, pattern: string): void {
    this.queueNamed(queue);
    const target = this.exchangeNamed(exchange);
    const known = target.bindings.some((b) => b.queue === queue && b.pattern === pattern);
    if (!known) target.bindings.push({ queue, pattern });
  }

  hasQueue(name: string): boolean {
    return this.queues.has(name);
  }

  /** The queue, or a NOT_FOUND error naming it. */
  queueNamed(name: string): MemoryQueue {
    const queue = this.queues.get(name);
    if (!queue) throw new ThreadlineError('NOT_FOUND', `queue '${name}' does not exist`);
    return queue;
  }

  /** The queues a message would reach; throws for an unknown exchange, as RabbitMQ does. */
  route(exchange: string, routingKey: string): string[] {
    if (exchange === DEFAULT_EXCHANGE) return this.queues.has(routingKey) ? [routingKey] : [];
    const target = this.exchangeNamed(exchange);
    const matched = new Set<string>();
    for (const binding of target.bindings) {
      if (bindingMatches(target.type, binding.pattern, routingKey)) matched.add(binding.queue);
    }
    if (matched.size === 0 && target.alternate) return this.route(target.alternate, routingKey);
    return [...matched];
  }

  /** Routes and stores a message; returns the queues it reached (none: it is dropped). */
  publish(exchange: string, routingKey: string, message: MessageContent): string[] {
    const queues = this.route(exchange, routingKey);
    this.store(queues, routingKey, message);
    return queues;
  }

  /** Stores one copy in each of `queues` (as routed by `route`). */
  store(queues: readonly string[], routingKey: string, message: MessageContent): void {
    for (const name of queues) {
      this.enqueue(name, { routingKey, body: message.body, properties: message.properties });
    }
  }

  /** The oldest ready message of a queue, now no longer in it. */
  take(queue: string): StoredMessage | undefined {
    return this.queues.get(queue)?.messages.shift();
  }

  /** Puts messages back at the head of their queue, in the given order. */
  returnToFront(queue: string, messages: readonly StoredMessage[]): void {
    if (messages.length === 0) return;
    this.queueNamed(queue).messages.unshift(messages);
    this.onEnqueued(queue);
  }

  readyCount(queue: string): number | undefined {
    return this.queues.get(queue)?.messages.length;
  }

  /** Ready messages in all queues (retry tiers and dead-letter queues included). */
  totalReady(): number {
    let total = 0;
    for (const queue of this.queues.values()) total += queue.messages.length;
    return total;
  }

  /** Stops TTL timers (nothing expires until `resumeTimers`); the messages stay. */
  stopTimers(): void {
    this.timersRunning = false;
    for (const queue of this.queues.values()) {
      clearTimeout(queue.expiryTimer);
      queue.expiryTimer = undefined;
    }
  }

  resumeTimers(): void {
    this.timersRunning = true;
    for (const queue of this.queues.values()) this.armExpiry(queue);
  }

  private enqueue(name: string, message: StoredMessage): void {
    const queue = this.queueNamed(name);
    const { ttlMs } = queue.options;
    queue.messages.push(
      ttlMs === undefined ? message : { ...message, expiresAt: Date.now() + ttlMs },
    );
    this.armExpiry(queue);
    this.onEnqueued(name);
  }

  /**
   * One timer per TTL queue, for its head: every message of a tier waits the same time, so they
   * expire strictly in order (as in RabbitMQ's per-queue TTL).
   */
  private armExpiry(queue: MemoryQueue): void {
    const head = queue.messages.peek();
    if (!this.timersRunning || queue.expiryTimer || head?.expiresAt === undefined) return;
    const wait = Math.max(0, head.expiresAt - Date.now());
    // unref: a message waiting for its retry must not keep the process alive on its own.
    queue.expiryTimer = setTimeout(() => this.expire(queue), wait).unref();
  }

  private expire(queue: MemoryQueue): void {
    queue.expiryTimer = undefined;
    const now = Date.now();
    const target = queue.options.deadLetter;
    let head = queue.messages.peek();
    while (head?.expiresAt !== undefined && head.expiresAt <= now) {
      queue.messages.shift();
      // Like RabbitMQ, an expired message with nowhere to go is dropped.
      if (target) this.publish(target.exchange, target.routingKey, head);
      head = queue.messages.peek();
    }
    this.armExpiry(queue);
  }

  private exchangeNamed(name: string): Exchange {
    const exchange = this.exchanges.get(name);
    if (!exchange) throw new ThreadlineError('NOT_FOUND', `exchange '${name}' does not exist`);
    return exchange;
  }
}

function bindingMatches(type: ExchangeType, pattern: string, routingKey: string): boolean {
  switch (type) {
    case 'topic':
      return topicMatches(pattern, routingKey);
    case 'direct':
      return pattern === routingKey;
    case 'fanout':
      return true;
  }
}

/** A consumer's queue, its DLQ, its retry tiers, and its bindings (as rabbitmq-topology.ts). */
export function declareConsumerTopology(broker: InMemoryBroker, spec: ConsumerQueueSpec): void {
  const { queue, deadLetterQueue, retryQueues } = spec.names;
  broker.declareQueue(deadLetterQueue);
  broker.bind(deadLetterQueue, DEAD_LETTER_EXCHANGE, queue);
  broker.declareQueue(queue);
  for (const tier of retryQueues) {
    broker.declareQueue(tier.queue, {
      ttlMs: tier.delayMs,
      deadLetter: { exchange: DEFAULT_EXCHANGE, routingKey: queue },
    });
    broker.bind(tier.queue, RETRY_EXCHANGE, tier.queue);
  }
  for (const binding of spec.bindings) broker.bind(queue, binding.exchange, binding.pattern);
}
