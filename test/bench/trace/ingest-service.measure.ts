import type { INestMicroservice } from '@nestjs/common';
import { TRACEABILITY_SERVICE } from '@threadline/app-traceability';
import { MessagingRuntime, startService } from '@threadline/messaging';
import { createLogger } from '@threadline/observability';
import { createTestDatabase, createTestVhost } from '@threadline/testing';
import { lotEventStream } from './lot-events';
import { round } from './trace-stats';

export interface ServiceIngestFigures {
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly seconds: number;
}

/**
 * Lot events through the traceability service as it runs in production: published to RabbitMQ
 * through the outbox (before the clock starts), consumed by `threadline.traceability.events`
 * (validation, inbox, recorder, gap check, hold propagation, ack) into PostgreSQL. The clock runs
 * from starting the service to the last event in the inbox.
 */
export async function measureServiceIngest(
  count: number,
  seed: number,
): Promise<ServiceIngestFigures> {
  const events = lotEventStream(count, seed);
  const vhost = await createTestVhost('bench-trace-ingest');
  const database = await createTestDatabase('threadline_bench_trace_service');
  const runtime = await MessagingRuntime.create({
    amqpUrl: vhost.url,
    database: { url: database.url },
    logger: createLogger({ service: 'traceability', level: 'silent' }),
    connectionName: 'bench-trace-ingest',
  });
  let app: INestMicroservice | undefined;
  process.env.TRACEABILITY_PORT = '0';
  process.env.TRACEABILITY_HOST = '127.0.0.1';
  try {
    await runtime.start();
    // Declare the queue first (start and stop the service), then fill it: the timed part is
    // the consumer alone, not the relay.
    await (await startService(TRACEABILITY_SERVICE, runtime)).close();
    for (let from = 0; from < events.length; from += 500) {
      await runtime.publisher.publish(...events.slice(from, from + 500));
    }
    await waitFor(async () => (await pending(runtime)) === 0, 600_000);
    const started = performance.now();
    app = await startService(TRACEABILITY_SERVICE, runtime);
    await waitFor(async () => (await applied(runtime)) >= events.length, 600_000);
    const seconds = (performance.now() - started) / 1000;
    return {
      events: events.length,
      eventsPerSecond: Math.round(events.length / seconds),
      seconds: round(seconds),
    };
  } finally {
    await app?.close();
    await runtime.stop();
    await vhost.drop();
    await database.drop();
  }
}

async function pending(runtime: MessagingRuntime): Promise<number> {
  const rows: { n: string }[] = await runtime.dataSource.query(
    'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL',
  );
  return Number(rows[0].n);
}

async function applied(runtime: MessagingRuntime): Promise<number> {
  const rows: { n: string }[] = await runtime.dataSource.query('SELECT COUNT(*) AS n FROM inbox');
  return Number(rows[0].n);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`bench:trace ingest timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
