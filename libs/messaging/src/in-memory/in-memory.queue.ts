import type { MessageProperties } from '../pipeline/message-headers';

/** A message as a queue holds it: what was published, and where it was last routed. */
export interface StoredMessage {
  /** The key it was last published (or dead-lettered) with, as RabbitMQ reports it. */
  readonly routingKey: string;
  readonly body: Buffer;
  readonly properties: MessageProperties;
  /** Set in a queue with a message TTL: when the message leaves it (epoch ms). */
  readonly expiresAt?: number;
}

export interface QueueOptions {
  /** Per-queue message TTL, as on a retry tier. */
  readonly ttlMs?: number;
  /** Where expired messages go (RabbitMQ's x-dead-letter-exchange / -routing-key). */
  readonly deadLetter?: { readonly exchange: string; readonly routingKey: string };
}

/**
 * First in, first out, with O(1) removal from the front. A plain array's shift() copies the
 * whole array once it is large, which a queue of 100,000 messages would feel.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact once the consumed prefix outweighs what is left.
    if (this.head > 1_024 && this.head * 2 > this.items.length) this.compact();
    return item;
  }

  /** Puts `items` back in front, keeping their order (like messages of a closed channel). */
  unshift(items: readonly T[]): void {
    if (items.length === 0) return;
    // Spread into a literal, not into unshift(): no argument-count limit for long lists.
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
  }

  /** Removes and returns everything, oldest first. */
  takeAll(): T[] {
    const all = this.toArray();
    this.items = [];
    this.head = 0;
    return all;
  }

  /** The first `limit` items (all by default), oldest first, left in place. */
  toArray(limit = this.length): T[] {
    return this.items.slice(this.head, this.head + limit) as T[];
  }

  private compact(): void {
    this.items = this.items.slice(this.head);
    this.head = 0;
  }
}

export class MemoryQueue {
  readonly messages = new Fifo<StoredMessage>();
  /** The pending expiry of the head message, on a TTL queue. */
  expiryTimer?: NodeJS.Timeout;

  constructor(
    readonly name: string,
    readonly options: QueueOptions,
  ) {}
}
