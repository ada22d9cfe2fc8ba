import { TransientError } from '@threadline/core';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type {
  BrokerDriver,
  ConsumerQueueSpec,
  DeadLetter,
  DriverDelivery,
  OutboundMessage,
} from '../broker-driver';
import { republicationOf, type Republication, type Settlement } from '../pipeline/settlement';
import { AckTracker } from './ack-tracker';
import { channelHasRoom, confirmedPublish, propertiesOf, waitForDrain } from './confirmed-publish';
import { peekDeadLetters, redriveDeadLetters } from './rabbitmq-dead-letters';
import { AmqpConnection, type AmqpConnectionOptions } from './amqp-connection';
import { declareConsumerQueue, declareExchanges } from './rabbitmq-topology';

interface Receipt {
  readonly channel: Channel;
  readonly message: ConsumeMessage;
  readonly acks: AckTracker;
}

interface ConsumerRegistration {
  readonly queue: string;
  readonly prefetch: number;
  readonly onDelivery: (delivery: DriverDelivery) => void;
  channel?: Channel;
  consumerTag?: string;
  /** Cancelled for good: not re-attached after a reconnect. */
  cancelled?: boolean;
}

/**
 * RabbitMQ through amqplib. Manual acks only; every publish (events, retries, dead letters) waits
 * for the broker's confirm; topology and consumers come back after every reconnect. While the
 * broker is away, publish fails at once: callers keep the message (the outbox does), this driver
 * buffers nothing.
 */
export class RabbitMqDriver implements BrokerDriver {
  readonly kind = 'rabbitmq' as const;
  private readonly connection: AmqpConnection;
  private readonly queues = new Map<string, ConsumerQueueSpec>();
  private readonly consumers: ConsumerRegistration[] = [];
  private consuming = true;
  private readonly logger: Logger;

  constructor(options: AmqpConnectionOptions) {
    this.logger = options.logger;
    this.connection = new AmqpConnection(options);
    this.connection.onConnected(async (model) => {
      const channel = await model.createChannel();
      try {
        await declareExchanges(channel);
        for (const spec of this.queues.values()) await declareConsumerQueue(channel, spec);
      } finally {
        await channel.close().catch(() => undefined);
      }
      // The hook runs before the state turns 'connected': attach on the new connection itself.
      if (this.consuming) {
        for (const consumer of this.consumers)
          if (!consumer.cancelled) await this.attach(consumer, model);
      }
    });
  }

  get state$() {
    return this.connection.state$.asObservable();
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  start(): Promise<void> {
    return this.connection.start();
  }

  async declareConsumerQueue(spec: ConsumerQueueSpec): Promise<void> {
    this.queues.set(spec.names.queue, spec);
    await this.withChannel((channel) => declareConsumerQueue(channel, spec));
  }

  async consume(
    queue: string,
    prefetch: number,
    onDelivery: (d: DriverDelivery) => void,
  ): Promise<void> {
    const consumer: ConsumerRegistration = { queue, prefetch, onDelivery };
    this.consumers.push(consumer);
    this.consuming = true;
    if (this.connection.isConnected()) await this.attach(consumer);
  }

  async cancelConsumers(): Promise<void> {
    this.consuming = false;
    await Promise.all(this.consumers.map((consumer) => this.cancel(consumer)));
  }

  async cancelConsumer(queue: string): Promise<void> {
    await Promise.all(this.consumers.filter((c) => c.queue === queue).map((c) => this.cancel(c)));
  }

  private async cancel(consumer: ConsumerRegistration): Promise<void> {
    consumer.cancelled = true;
    if (consumer.channel && consumer.consumerTag) {
      await consumer.channel.cancel(consumer.consumerTag).catch(() => undefined);
    }
  }

  async settle(delivery: DriverDelivery, settlement: Settlement): Promise<void> {
    const { message, acks } = delivery.receipt as Receipt;
    const target = republicationOf(settlement, delivery.queue, delivery.headers);
    if (target) await this.republish(delivery, target);
    // If the channel died meanwhile, the broker redelivers and the inbox absorbs the repeat.
    try {
      acks.settled(message);
    } catch (error) {
      this.logger.debug(
        { err: (error as Error).message },
        'ack on a closed channel; will be redelivered',
      );
    }
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    const channel = this.connection.publishChannel();
    if (!channel) throw new TransientError('RabbitMQ is not connected; nothing was published');
    const confirms: Promise<void>[] = [];
    for (const message of messages) {
      confirms.push(confirmedPublish(channel, message));
      if (!channelHasRoom(channel)) await waitForDrain(channel);
    }
    const results = await Promise.allSettled(confirms);
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
      const reason = failed[0].reason as Error;
      throw new TransientError(
        `${failed.length} of ${messages.length} publishes not confirmed: ${reason.message}`,
        {
          cause: reason,
        },
      );
    }
  }

  async queueDepth(queue: string): Promise<number | undefined> {
    const model = this.connection.current();
    if (!model) throw new TransientError('RabbitMQ is not connected');
    // checkQueue on a missing queue closes its channel: use a throwaway one.
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } catch {
      return undefined;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async peekDeadLetters(deadLetterQueue: string, limit: number): Promise<DeadLetter[]> {
    return this.withChannel((reader) => peekDeadLetters(reader, deadLetterQueue, limit));
  }

  async redrive(
    deadLetterQueue: string,
    select: (letter: DeadLetter) => boolean,
    onProgress?: (moved: number) => void,
  ): Promise<number> {
    const publisher = this.connection.publishChannel();
    if (!publisher) throw new TransientError('RabbitMQ is not connected');
    return this.withChannel((reader) =>
      redriveDeadLetters(reader, publisher, deadLetterQueue, select, onProgress),
    );
  }

  async stop(): Promise<void> {
    await this.cancelConsumers();
    await this.connection.stop();
  }

  private async attach(
    consumer: ConsumerRegistration,
    model = this.connection.current(),
  ): Promise<void> {
    if (!model) return;
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn({ err: error.message }, 'consumer channel error'),
    );
    await channel.prefetch(consumer.prefetch);
    const acks = new AckTracker(channel);
    const reply = await channel.consume(
      consumer.queue,
      (message) => {
        // null: the broker cancelled the consumer (queue deleted); the next reconnect re-attaches.
        if (!message) return;
        acks.delivered(message);
        consumer.onDelivery({
          queue: consumer.queue,
          routingKey: message.fields.routingKey,
          body: message.content,
          headers: message.properties.headers ?? {},
          receipt: { channel, message, acks } satisfies Receipt,
        });
      },
      { noAck: false },
    );
    consumer.channel = channel;
    consumer.consumerTag = reply.consumerTag;
  }

  private async republish(delivery: DriverDelivery, target: Republication): Promise<void> {
    const { message } = delivery.receipt as Receipt;
    const channel = this.connection.publishChannel();
    if (!channel) throw new TransientError('RabbitMQ is not connected; message stays unacked');
    await confirmedPublish(channel, {
      exchange: target.exchange,
      routingKey: target.routingKey,
      body: message.content,
      properties: { ...propertiesOf(message), headers: target.headers },
    });
  }

  private async withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
    const model = this.connection.current();
    if (!model) throw new TransientError('RabbitMQ is not connected');
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn({ err: error.message }, 'channel error'),
    );
    try {
      return await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}
