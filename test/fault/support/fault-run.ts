import type { INestMicroservice } from '@nestjs/common';
import {
  MessagingRuntime,
  consumerQueueNames,
  startService,
  type DeadLetter,
  type RetryPolicy,
} from '@threadline/messaging';
import { MetricsRegistry } from '@threadline/observability';
import pino from 'pino';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import {
  TEST_AMQP_URL,
  createTestDatabase,
  deleteQueues,
  eventually,
  type TestDatabase,
} from '@threadline/testing';
import { chunks } from './fault-workload';
import { FAULT_EFFECTS_TABLE_SQL, FaultModule } from './fault-service';

export const SHORT_RETRY: RetryPolicy = {
  delaysMs: [200, 500, 1_000, 2_000, 4_000],
  maxAttempts: 10,
};

export interface FaultRunOptions {
  readonly service: string;
  readonly retryPolicy?: RetryPolicy;
  /** Start the consumer in this process (false when a child process consumes). */
  readonly consumeHere?: boolean;
}

export interface EffectCounts {
  /** Effect rows in all (a key applied twice counts twice). */
  readonly rows: number;
  readonly distinctKeys: number;
}

/**
 * One fault test's world on the real RabbitMQ + PostgreSQL: a fresh database, a runtime that
 * publishes through the outbox (and, unless told otherwise, consumes with the effect handler),
 * the consumer's queues, and the counts the assertions need. `dispose` removes all of it.
 */
export class FaultRun {
  readonly names;
  readonly metrics = new MetricsRegistry({ collectProcessMetrics: false });
  private runtime?: MessagingRuntime;
  private app?: INestMicroservice;
  private database?: TestDatabase;
  private started = Date.now();
  /** Every key of this run starts with it (see buildWorkload). */
  readonly keyPrefix: string;

  constructor(private readonly options: FaultRunOptions) {
    this.keyPrefix = `${options.service}:`;
    this.names = consumerQueueNames(options.service, 'events', this.retryPolicy.delaysMs);
  }

  get retryPolicy(): RetryPolicy {
    return this.options.retryPolicy ?? SHORT_RETRY;
  }

  get databaseUrl(): string {
    if (!this.database) throw new Error('FaultRun not started');
    return this.database.url;
  }

  get messaging(): MessagingRuntime {
    if (!this.runtime) throw new Error('FaultRun not started');
    return this.runtime;
  }

  get elapsedSeconds(): number {
    return (Date.now() - this.started) / 1000;
  }

  async start(): Promise<void> {
    this.started = Date.now();
    this.database = await createTestDatabase('threadline_fault');
    this.runtime = await MessagingRuntime.create({
      amqpUrl: TEST_AMQP_URL,
      database: { url: this.database.url },
      logger: faultLogger(),
      metrics: this.metrics,
      retryPolicy: this.retryPolicy,
      connectionName: `fault-${this.options.service}`,
    });
    await this.runtime.dataSource.query(FAULT_EFFECTS_TABLE_SQL);
    await this.runtime.start();
    if (this.options.consumeHere ?? true) {
      this.app = await startService(
        { name: this.options.service, module: FaultModule, description: 'fault test' },
        this.runtime,
      );
    } else {
      // The queue must exist before publishing, or events published before the child binds are lost.
      await this.runtime.driver.declareConsumerQueue({
        names: this.names,
        bindings: [{ exchange: 'threadline.events', pattern: 'quality.nonconformance.raised' }],
      });
    }
  }

  /** Publishes through the outbox in chunks, pausing between chunks to stretch the stream. */
  async publish(
    events: readonly CloudEventEnvelope[],
    chunkSize = 100,
    pauseMs = 0,
  ): Promise<void> {
    for (const chunk of chunks(events, chunkSize)) {
      await this.messaging.publisher.publish(...chunk);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  async effectCounts(): Promise<EffectCounts> {
    const rows: { total: string; distinct_keys: string }[] = await this.messaging.dataSource.query(
      'SELECT COUNT(*) AS total, COUNT(DISTINCT idempotency_key) AS distinct_keys FROM fault_effect WHERE idempotency_key LIKE $1',
      [`${this.keyPrefix}%`],
    );
    return { rows: Number(rows[0].total), distinctKeys: Number(rows[0].distinct_keys) };
  }

  /** Effects of events this run did not publish (others sharing the broker's events exchange). */
  async foreignEffects(): Promise<number> {
    const rows: { n: string }[] = await this.messaging.dataSource.query(
      'SELECT COUNT(*) AS n FROM fault_effect WHERE idempotency_key NOT LIKE $1',
      [`${this.keyPrefix}%`],
    );
    return Number(rows[0].n);
  }

  /** Effect counts, or undefined while the database is away. */
  async effectCountsIfReachable(): Promise<EffectCounts | undefined> {
    return this.effectCounts().catch(() => undefined);
  }

  async waitForEffects(atLeast: number, timeoutMs = 120_000): Promise<void> {
    await eventually(
      async () => ((await this.effectCountsIfReachable())?.distinctKeys ?? 0) >= atLeast,
      `${atLeast} effects`,
      timeoutMs,
      50,
    );
  }

  /** Waits until every key has its effect, the outbox is sent, and no queue holds a message. */
  async waitUntilSettled(uniqueKeys: number, timeoutMs = 180_000): Promise<void> {
    let last = 'nothing measured yet';
    try {
      await eventually(
        async () => {
          const counts = await this.effectCountsIfReachable();
          const unsent = counts && (await this.unsentOutboxRows());
          const queued = await this.messagesInQueues().catch(() => undefined);
          last = `effects ${counts?.distinctKeys}, unsent outbox ${unsent}, queued ${queued}`;
          return counts?.distinctKeys === uniqueKeys && unsent === 0 && queued === 0;
        },
        `all ${uniqueKeys} keys applied and the queues drained`,
        timeoutMs,
        250,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message} (last seen: ${last})`, { cause: error });
    }
  }

  async unsentOutboxRows(): Promise<number> {
    const rows: { n: string }[] = await this.messaging.dataSource.query(
      'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL',
    );
    return Number(rows[0].n);
  }

  /** Ready messages in the consumer queue and its retry tiers. */
  async messagesInQueues(): Promise<number> {
    const queues = [this.names.queue, ...this.names.retryQueues.map((tier) => tier.queue)];
    let total = 0;
    for (const queue of queues) total += (await this.messaging.driver.queueDepth(queue)) ?? 0;
    return total;
  }

  async waitForDeadLetters(count: number): Promise<void> {
    await eventually(
      async () => (await this.deadLettersOfThisRun()).length === count,
      `${count} dead letters`,
      30_000,
      250,
    );
  }

  /** Dead letters of this run's messages (their bodies carry the key prefix). */
  async deadLettersOfThisRun(): Promise<DeadLetter[]> {
    const letters = await this.messaging.driver.peekDeadLetters(this.names.deadLetterQueue, 20_000);
    return letters.filter((letter) => letter.body.toString().includes(this.keyPrefix));
  }

  /** Keys that have more than one effect row (applied twice). */
  async keysAppliedTwice(): Promise<string[]> {
    const rows: { idempotency_key: string }[] = await this.messaging.dataSource.query(
      'SELECT idempotency_key FROM fault_effect WHERE idempotency_key LIKE $1 GROUP BY idempotency_key HAVING COUNT(*) > 1',
      [`${this.keyPrefix}%`],
    );
    return rows.map((row) => row.idempotency_key);
  }

  /** Keys of `expected` that have no effect row (lost). */
  async keysLost(expected: ReadonlySet<string>): Promise<string[]> {
    const rows: { idempotency_key: string }[] = await this.messaging.dataSource.query(
      'SELECT DISTINCT idempotency_key FROM fault_effect',
    );
    const applied = new Set(rows.map((row) => row.idempotency_key));
    return [...expected].filter((key) => !applied.has(key));
  }

  /** Settlements by outcome (ack, duplicate, retry, dlq) as counted by this process's consumer. */
  async outcomes(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const { labels, value } of (await this.metrics.messagesConsumed.get()).values) {
      const outcome = String((labels as { outcome?: string }).outcome);
      counts[outcome] = (counts[outcome] ?? 0) + value;
    }
    return counts;
  }

  /** One line for the run log: the figures the fault report quotes. */
  report(scenario: string, figures: Record<string, number | string>): void {
    const fields = Object.entries({ ...figures, seconds: this.elapsedSeconds.toFixed(1) })
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    process.stdout.write(`[fault] ${scenario}: ${fields}\n`);
  }

  async dispose(): Promise<void> {
    await this.app?.close().catch(() => undefined);
    await this.runtime?.stop().catch(() => undefined);
    const queues = [
      this.names.queue,
      this.names.deadLetterQueue,
      ...this.names.retryQueues.map((t) => t.queue),
    ];
    await deleteQueues(queues).catch(() => undefined);
    await this.database?.drop();
  }
}

/** Silent unless FAULT_LOG_FILE names a file for the runtime's warnings (LOG_LEVEL, default warn). */
export function faultLogger(): pino.Logger {
  const file = process.env.FAULT_LOG_FILE;
  if (!file) return pino({ level: 'silent' });
  return pino(
    { level: process.env.LOG_LEVEL ?? 'warn' },
    pino.destination({ dest: file, sync: true, append: true }),
  );
}
