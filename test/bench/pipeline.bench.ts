import { cpus } from 'node:os';
import { TEST_AMQP_URL } from '@threadline/testing';
import { BODY_BYTES, round } from './bench-support';
import { measurePipeline } from './pipeline.measure';
import { measureRawAmqp } from './raw-amqp.measure';

const GOAL = 0.5;
const WARM_UP = 1_000;

/**
 * npm run bench:pipeline [-- --messages N] [--publish-chunk N] [--batch-size N]
 *   [--concurrency N] [--prefetch N] [--pool-size N]
 * Prints one JSON object: raw amqplib ceiling vs the full outbox -> RabbitMQ -> event-log path.
 */
async function main(): Promise<void> {
  const messages = numberFlag('--messages') ?? 20_000;
  const raw = await measureRawAmqp(TEST_AMQP_URL, messages, WARM_UP);
  const pipeline = await measurePipeline(TEST_AMQP_URL, messages, WARM_UP, {
    publishChunk: numberFlag('--publish-chunk') ?? 500,
    poolSize: numberFlag('--pool-size'),
    consumer: definedOnly({
      batchSize: numberFlag('--batch-size'),
      concurrency: numberFlag('--concurrency'),
      prefetch: numberFlag('--prefetch'),
    }),
  });
  const ratio = round(pipeline.msgsPerSecond / raw.msgsPerSecond, 3);
  const report = {
    bench: 'pipeline',
    messages,
    bodyBytes: BODY_BYTES,
    warmUp: WARM_UP,
    raw,
    pipeline,
    ratio,
    goal: GOAL,
    meetsGoal: ratio >= GOAL,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function numberFlag(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got '${process.argv[index + 1] ?? ''}'`);
  }
  return value;
}

function definedOnly<T extends Record<string, number | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:pipeline failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
