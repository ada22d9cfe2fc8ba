import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  MessagingRuntime,
  consumerQueueNames,
  startService,
  type PipelineObserver,
  type ServiceDefinition,
} from '@threadline/messaging';
import { createTestDatabase, deleteQueues } from '@threadline/testing';
import pino from 'pino';
// A bench may reach into the app by relative path: it measures the real event-log service.
import { EVENT_LOG_SERVICE } from '../../apps/threadline/src/services/event-log/event-log.module';
import { BENCH_RUN, benchmarkEvent, summarize, waitUntil, type Throughput } from './bench-support';

export interface PipelineSettings {
  /** Events per `publisher.publish(...)` call (one transaction, one multi-row INSERT). */
  readonly publishChunk: number;
  readonly consumer?: ServiceDefinition['consumer'];
  readonly poolSize?: number;
}

export interface PipelineResult extends Throughput {
  readonly settings: Record<string, unknown>;
}

interface Completion {
  count: number;
  lastMs: number;
  latencies: number[];
}

/**
 * The full path on RabbitMQ + PostgreSQL: publisher -> outbox -> relay (confirms) -> quorum queue
 * -> event-log service (validation, inbox and event_log in one transaction) -> ack. Completion is
 * observed after each batch commits, so latency is event `time` (set just before the outbox
 * insert) to its event_log row being durable.
 */
export async function measurePipeline(
  url: string,
  messages: number,
  warmUp: number,
  settings: PipelineSettings,
): Promise<PipelineResult> {
  const database = await createTestDatabase('threadline_bench');
  const service: ServiceDefinition = {
    ...EVENT_LOG_SERVICE,
    name: `bench-event-log-${randomUUID().slice(0, 8)}`,
    consumer: { ...EVENT_LOG_SERVICE.consumer, ...settings.consumer },
  };
  const completion: Completion = { count: 0, lastMs: 0, latencies: [] };
  let runtime: MessagingRuntime | undefined;
  let app: INestMicroservice | undefined;
  try {
    runtime = await MessagingRuntime.create({
      amqpUrl: url,
      database: { url: database.url, poolSize: settings.poolSize },
      logger: pino({ level: 'silent' }),
      connectionName: 'threadline-bench',
    });
    observeCompletions(runtime, completion);
    await runtime.start();
    app = await startService(service, runtime);
    process.stderr.write('pipeline: warm-up\n');
    await publishAndWait(runtime, completion, 0, warmUp, settings.publishChunk);
    Object.assign(completion, { count: 0, latencies: [] });
    process.stderr.write('pipeline: measuring\n');
    const started = performance.timeOrigin + performance.now();
    await publishAndWait(runtime, completion, warmUp, messages, settings.publishChunk);
    const result = summarize(messages, started, completion.lastMs, completion.latencies);
    await verifyEventLog(runtime, warmUp + messages);
    return { ...result, settings: { ...settings, consumer: service.consumer } };
  } finally {
    await app?.close();
    await runtime?.stop();
    const names = consumerQueueNames(service.name, 'events', runtime?.retryPolicy.delaysMs ?? []);
    await deleteQueues([
      names.queue,
      names.deadLetterQueue,
      ...names.retryQueues.map((r) => r.queue),
    ]);
    await database.drop();
  }
}

/** Wraps the runtime's observer: `settled` runs after the batch committed, before the ack. */
function observeCompletions(runtime: MessagingRuntime, completion: Completion): void {
  const original = runtime.pipelineObserver.bind(runtime);
  runtime.pipelineObserver = (serviceName: string): PipelineObserver => {
    const inner = original(serviceName);
    return {
      ...inner,
      settled(message, settlement, handlerSeconds) {
        if (settlement.kind === 'ack' && settlement.event.idempotencykey.startsWith(BENCH_RUN)) {
          const now = performance.timeOrigin + performance.now();
          completion.latencies.push(now - Date.parse(settlement.event.time));
          completion.count++;
          completion.lastMs = now;
        }
        inner.settled(message, settlement, handlerSeconds);
      },
    };
  };
}

async function publishAndWait(
  runtime: MessagingRuntime,
  completion: Completion,
  firstSequence: number,
  count: number,
  chunk: number,
): Promise<void> {
  // Sequences never repeat within a run: they make the idempotency keys the inbox checks.
  for (let start = 0; start < count; start += chunk) {
    const now = new Date();
    const size = Math.min(chunk, count - start);
    const events = Array.from({ length: size }, (_, i) =>
      benchmarkEvent(firstSequence + start + i, now),
    );
    await runtime.publisher.publish(...events);
  }
  process.stderr.write(`pipeline: ${count} in the outbox\n`);
  await waitUntil(() => completion.count >= count, 'the event log to catch up', 600_000);
}

async function verifyEventLog(runtime: MessagingRuntime, expected: number): Promise<void> {
  const [{ count }] = await runtime.dataSource.query<{ count: number }[]>(
    'SELECT count(*)::int AS count FROM event_log WHERE idempotency_key LIKE $1',
    [`${BENCH_RUN}:%`],
  );
  if (count !== expected) throw new Error(`event_log holds ${count} rows, expected ${expected}`);
}
