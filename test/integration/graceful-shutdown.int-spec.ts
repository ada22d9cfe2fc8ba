import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { MessagingRuntime, startService } from '@threadline/messaging';
import {
  ConformanceModule,
  EFFECTS_TABLE_SQL,
  TEST_AMQP_URL,
  conformanceLogger,
  conformanceScript,
  createTestDatabase,
  deleteServiceQueues,
  eventually,
  nonconformanceRaised,
  type TestDatabase,
} from '@threadline/testing';

/**
 * Stopping a service mid-stream: it stops consuming, finishes what it holds, and leaves the rest
 * in the queue, unacknowledged by nobody; a new process then applies the rest, each message once.
 */
describe('graceful shutdown (RabbitMQ + PostgreSQL)', () => {
  const service = `shutdown-${randomUUID().slice(0, 8)}`;
  const retryPolicy = { delaysMs: [100], maxAttempts: 3 };
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('threadline_shutdown');
  });

  afterAll(async () => {
    await deleteServiceQueues(service, retryPolicy.delaysMs);
    await database?.drop();
  });

  const start = async () => {
    const runtime = await MessagingRuntime.create({
      amqpUrl: TEST_AMQP_URL,
      database: { url: database.url },
      logger: conformanceLogger,
      retryPolicy,
    });
    await runtime.dataSource.query(EFFECTS_TABLE_SQL);
    await runtime.start();
    const definition = {
      name: service,
      module: ConformanceModule,
      description: 'test',
      consumer: { batchSize: 1, concurrency: 4, prefetch: 20 },
    };
    const app: INestMicroservice = await startService(definition, runtime);
    return { runtime, app };
  };

  it('finishes in-flight handlers, leaves the rest queued, and loses nothing', async () => {
    const events = Array.from({ length: 200 }, () => nonconformanceRaised());
    for (const event of events)
      conformanceScript.set(event.idempotencykey, { kind: 'slow', ms: 20 });
    const first = await start();
    await first.runtime.publisher.publish(...events);
    const effects = async (runtime: MessagingRuntime) =>
      Number(
        (
          await runtime.dataSource.query(
            'SELECT COUNT(*) AS n FROM conformance_effect WHERE idempotency_key = ANY($1)',
            [events.map((e) => e.idempotencykey)],
          )
        )[0].n,
      );
    await eventually(async () => (await effects(first.runtime)) >= 30, 'the first effects');
    await first.app.close();
    const afterClose = await effects(first.runtime);
    // close() returned only after its in-flight handlers committed: nothing is applied later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await effects(first.runtime)).toBe(afterClose);
    await first.runtime.stop();
    expect(afterClose).toBeLessThan(events.length);

    // Nothing is held by a dead consumer: what was not applied is back in the queue.
    const second = await start();
    try {
      await eventually(
        async () => (await effects(second.runtime)) === events.length,
        'the rest applied',
        60_000,
      );
      const doubled: { n: string }[] = await second.runtime.dataSource.query(
        `SELECT COUNT(*) AS n FROM (SELECT idempotency_key FROM conformance_effect
           WHERE idempotency_key = ANY($1) GROUP BY idempotency_key HAVING COUNT(*) > 1) twice`,
        [events.map((e) => e.idempotencykey)],
      );
      expect(Number(doubled[0].n)).toBe(0);
    } finally {
      await second.app.close();
      await second.runtime.stop();
    }
  });
});
