import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ConfirmChannel } from 'amqplib';
import { benchmarkEvent, summarize, waitUntil, type Throughput } from './bench-support';

const CONFIRM_WINDOW = 500;
const PREFETCH = 100;

/**
 * The ceiling: plain amqplib on the same broker, a quorum queue of our own, confirmed persistent
 * publishes (windowed) and a consumer acking each message on another channel. No validation, no
 * database. Latency is publish time (carried in the message) to consume time.
 */
export async function measureRawAmqp(
  url: string,
  messages: number,
  warmUp: number,
): Promise<Throughput> {
  const connection = await connect(url);
  const queue = `threadline.bench.raw-${randomUUID().slice(0, 8)}`;
  try {
    const admin = await connection.createChannel();
    await admin.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const publisher = await connection.createConfirmChannel();
    const consumer = await connection.createChannel();
    await consumer.prefetch(PREFETCH);
    let received = 0;
    let lastAckMs = 0;
    let latencies: number[] = [];
    await consumer.consume(queue, (message) => {
      if (!message) return;
      const sentAt = Number(message.properties.headers?.['x-bench-sent-at']);
      const now = performance.timeOrigin + performance.now();
      latencies.push(now - sentAt);
      consumer.ack(message);
      received++;
      lastAckMs = now;
    });
    process.stderr.write('raw: warm-up\n');
    await publishAll(publisher, queue, warmUp);
    await waitUntil(() => received >= warmUp, 'raw warm-up', 60_000, 1);
    received = 0;
    latencies = [];
    process.stderr.write('raw: measuring\n');
    const started = performance.timeOrigin + performance.now();
    await publishAll(publisher, queue, messages);
    await waitUntil(() => received >= messages, 'raw consumption', 300_000, 1);
    const result = summarize(messages, started, lastAckMs, latencies);
    await admin.deleteQueue(queue);
    return result;
  } finally {
    await connection.close();
  }
}

async function publishAll(channel: ConfirmChannel, queue: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const body = Buffer.from(JSON.stringify(benchmarkEvent(i)));
    const room = channel.publish('', queue, body, {
      persistent: true,
      contentType: 'application/cloudevents+json',
      headers: { 'x-bench-sent-at': performance.timeOrigin + performance.now() },
    });
    if (!room) await drained(channel);
    if ((i + 1) % CONFIRM_WINDOW === 0) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
}

function drained(channel: Channel): Promise<void> {
  return new Promise((resolve) => channel.once('drain', resolve));
}
