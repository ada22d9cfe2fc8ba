import type { Logger } from 'pino';
import type { DriverDelivery } from '../broker-driver';
import type { InMemoryBroker } from './in-memory.broker';
import type { StoredMessage } from './in-memory.queue';

interface ConsumerRegistration {
  readonly queue: string;
  readonly prefetch: number;
  readonly onDelivery: (delivery: DriverDelivery) => void;
  /** Delivered, not yet settled, by delivery tag (ascending: a Map keeps insertion order). */
  readonly unacked: Map<number, StoredMessage>;
  cancelled: boolean;
}

/** The driver's handle on a delivery; stale once a disconnect has put the message back. */
export class DeliveryReceipt {
  constructor(
    readonly consumer: ConsumerRegistration,
    readonly tag: number,
    readonly message: StoredMessage,
  ) {}
}

export function receiptOf(delivery: DriverDelivery): DeliveryReceipt {
  if (delivery.receipt instanceof DeliveryReceipt) return delivery.receipt;
  throw new TypeError('delivery.receipt was not issued by an in-memory driver');
}

/**
 * The consumer side of the in-memory broker: manual acks with a bounded prefetch, FIFO per
 * queue, round-robin between competing consumers. Deliveries are made on a later turn of the
 * event loop (setImmediate), never inside the publish or settle that made them possible, so a
 * caller is never re-entered by its own consumer.
 */
export class InMemoryConsumers {
  private readonly byQueue = new Map<string, ConsumerRegistration[]>();
  private lastTag = 0;
  private pendingDispatch?: NodeJS.Immediate;

  constructor(
    private readonly broker: InMemoryBroker,
    private readonly canDeliver: () => boolean,
    private readonly logger?: Logger,
  ) {}

  add(queue: string, prefetch: number, onDelivery: (delivery: DriverDelivery) => void): void {
    if (!Number.isInteger(prefetch) || prefetch < 1) {
      throw new RangeError(`prefetch must be an integer >= 1, got ${prefetch}`);
    }
    const consumer: ConsumerRegistration = {
      queue,
      prefetch,
      onDelivery,
      unacked: new Map(),
      cancelled: false,
    };
    this.byQueue.set(queue, [...(this.byQueue.get(queue) ?? []), consumer]);
    this.scheduleDispatch();
  }

  /** No new deliveries; those in flight can still be settled. */
  cancelAll(): void {
    for (const queue of this.byQueue.keys()) this.cancel(queue);
  }

  /** Stops delivering from `queue`; deliveries already made can still be settled. */
  cancel(queue: string): void {
    for (const consumer of this.byQueue.get(queue) ?? []) consumer.cancelled = true;
  }

  /** Forgets a settled delivery; false when it is stale (already back in its queue). */
  release(receipt: DeliveryReceipt): boolean {
    const released = receipt.consumer.unacked.delete(receipt.tag);
    if (released) this.scheduleDispatch();
    return released;
  }

  unackedCount(): number {
    let count = 0;
    for (const consumers of this.byQueue.values()) {
      for (const consumer of consumers) count += consumer.unacked.size;
    }
    return count;
  }

  /** What a closed channel does: unacked messages return to the head of their queue, in order. */
  returnUnacked(): void {
    for (const [queue, consumers] of this.byQueue) {
      const entries = consumers.flatMap((consumer) => [...consumer.unacked]);
      entries.sort(([a], [b]) => a - b);
      for (const consumer of consumers) consumer.unacked.clear();
      const remaining = consumers.filter((consumer) => !consumer.cancelled);
      if (remaining.length > 0) this.byQueue.set(queue, remaining);
      else this.byQueue.delete(queue);
      const messages = entries.map(([, message]) => message);
      if (this.broker.hasQueue(queue)) this.broker.returnToFront(queue, messages);
    }
  }

  scheduleDispatch(): void {
    if (this.pendingDispatch || !this.canDeliver()) return;
    this.pendingDispatch = setImmediate(() => {
      this.pendingDispatch = undefined;
      for (const [queue, consumers] of this.byQueue) this.dispatch(queue, consumers);
    });
  }

  cancelDispatch(): void {
    clearImmediate(this.pendingDispatch);
    this.pendingDispatch = undefined;
  }

  /** Hands out ready messages in order, round-robin over consumers with room in their prefetch. */
  private dispatch(queue: string, consumers: readonly ConsumerRegistration[]): void {
    for (let progressed = true; progressed;) {
      progressed = false;
      for (const consumer of consumers) {
        // A callback may cancel or disconnect: look again before every delivery.
        if (!this.canDeliver()) return;
        if (consumer.cancelled || consumer.unacked.size >= consumer.prefetch) continue;
        const message = this.broker.take(queue);
        if (!message) return;
        this.deliver(consumer, message);
        progressed = true;
      }
    }
  }

  private deliver(consumer: ConsumerRegistration, message: StoredMessage): void {
    const tag = ++this.lastTag;
    consumer.unacked.set(tag, message);
    try {
      consumer.onDelivery({
        queue: consumer.queue,
        routingKey: message.routingKey,
        body: Buffer.from(message.body),
        headers: { ...message.properties.headers },
        receipt: new DeliveryReceipt(consumer, tag, message),
      });
    } catch (error) {
      // It stays unacked, as with a RabbitMQ consumer callback that throws.
      const err = error instanceof Error ? error.message : String(error);
      this.logger?.error({ err, queue: consumer.queue }, 'consumer callback threw');
    }
  }
}
