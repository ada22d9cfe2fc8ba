import { randomUUID } from 'node:crypto';
import { FaultRun } from './support/fault-run';
import { expectExactlyOnce } from './support/fault-assertions';
import { startPostgres, stopPostgres } from './support/service-control';
import { buildWorkload } from './support/fault-workload';

const OUTAGE_MS = 30_000;
// 11 failed attempts wait 0.2+0.5+1+2+4+8x6 = 55.7 s in all: a 30 s outage fits with room.
const OUTAGE_RETRY = { delaysMs: [200, 500, 1_000, 2_000, 4_000, 8_000], maxAttempts: 12 };

describe('fault: PostgreSQL unavailable for 30 s mid-stream', () => {
  const run = new FaultRun({
    service: `fault-postgres-${randomUUID().slice(0, 8)}`,
    retryPolicy: OUTAGE_RETRY,
  });

  beforeAll(() => run.start());
  afterAll(async () => {
    // Whatever happened, leave PostgreSQL running (and accepting connections) for what runs next.
    await startPostgres();
    await run.dispose();
  }, 180_000);

  it('retries the failed batches through the tiers and applies every key once', async () => {
    const workload = buildWorkload(run.keyPrefix);
    // The outbox lives in the same PostgreSQL: everything is in it before the database goes.
    await run.publish(workload.events, 500);

    await run.waitForEffects(3_000);
    const stopped = Date.now();
    try {
      await stopPostgres();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    } finally {
      await startPostgres();
    }
    const outageSeconds = (Date.now() - stopped) / 1000;

    await run.waitUntilSettled(workload.uniqueKeys.size);
    const figures = await expectExactlyOnce(run, workload);
    const outcomes = await run.outcomes();
    const [{ max }]: { max: number }[] = await run.messaging.dataSource.query(
      'SELECT MAX(attempt) AS max FROM fault_effect',
    );
    run.report('PostgreSQL outage', {
      ...figures,
      outageSeconds: outageSeconds.toFixed(1),
      retries: outcomes.retry ?? 0,
      highestAttempt: `${max}/${OUTAGE_RETRY.maxAttempts}`,
      duplicatesAbsorbed: outcomes.duplicate ?? 0,
    });
  }, 240_000);
});
