import type { Channel } from 'amqplib';
import type { ConsumerQueueSpec } from '../broker-driver';
import {
  COMMANDS_EXCHANGE,
  DEAD_LETTER_EXCHANGE,
  EVENTS_EXCHANGE,
  RETRY_EXCHANGE,
  UNROUTABLE_EXCHANGE,
  UNROUTABLE_QUEUE,
} from '../topology';

/** Crash-loop backstop: a message redelivered this often without a settlement is dead-lettered. */
export const DELIVERY_LIMIT = 50;

const QUORUM = { 'x-queue-type': 'quorum' } as const;

/** Dead-lettering that cannot lose a message on the way (quorum queues, RabbitMQ 3.10+). */
function atLeastOnceDeadLetterTo(exchange: string, routingKey: string): Record<string, unknown> {
  return {
    'x-dead-letter-exchange': exchange,
    'x-dead-letter-routing-key': routingKey,
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}

/** The exchanges every service shares (EVENT-CATALOG §2). Safe to run again and again. */
export async function declareExchanges(channel: Channel): Promise<void> {
  await channel.assertExchange(UNROUTABLE_EXCHANGE, 'fanout', { durable: true });
  await channel.assertQueue(UNROUTABLE_QUEUE, { durable: true, arguments: { ...QUORUM } });
  await channel.bindQueue(UNROUTABLE_QUEUE, UNROUTABLE_EXCHANGE, '');
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
  // A command nobody consumes is a fault, not a fact nobody cares about: keep it.
  await channel.assertExchange(COMMANDS_EXCHANGE, 'topic', {
    durable: true,
    alternateExchange: UNROUTABLE_EXCHANGE,
  });
  await channel.assertExchange(RETRY_EXCHANGE, 'direct', { durable: true });
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, 'direct', { durable: true });
}

/** A consumer's quorum queue, its DLQ, its retry tiers, and its bindings. */
export async function declareConsumerQueue(
  channel: Channel,
  spec: ConsumerQueueSpec,
): Promise<void> {
  const { queue, deadLetterQueue, retryQueues } = spec.names;
  await channel.assertQueue(deadLetterQueue, { durable: true, arguments: { ...QUORUM } });
  await channel.bindQueue(deadLetterQueue, DEAD_LETTER_EXCHANGE, queue);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      ...QUORUM,
      'x-delivery-limit': DELIVERY_LIMIT,
      ...atLeastOnceDeadLetterTo(DEAD_LETTER_EXCHANGE, queue),
    },
  });
  for (const tier of retryQueues) {
    // Every message in a tier waits the same time, so expiry is strictly first in, first out.
    await channel.assertQueue(tier.queue, {
      durable: true,
      arguments: {
        ...QUORUM,
        'x-message-ttl': tier.delayMs,
        ...atLeastOnceDeadLetterTo('', queue),
      },
    });
    await channel.bindQueue(tier.queue, RETRY_EXCHANGE, tier.queue);
  }
  for (const binding of spec.bindings) {
    await channel.bindQueue(queue, binding.exchange, binding.pattern);
  }
}
