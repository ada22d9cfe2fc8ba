import { randomUUID } from 'node:crypto';
import { FaultRun } from './support/fault-run';
import { expectExactlyOnce } from './support/fault-assertions';
import { failsTransiently, faultBehaviour } from './support/fault-service';
import { buildWorkload } from './support/fault-workload';

const TRANSIENT_SHARE = 0.2;

describe('fault: a handler failing transiently for 20% of messages', () => {
  const run = new FaultRun({ service: `fault-transient-${randomUUID().slice(0, 8)}` });

  beforeAll(async () => {
    faultBehaviour.transientShare = TRANSIENT_SHARE;
    faultBehaviour.transientAttempts = 2;
    await run.start();
  });

  afterAll(async () => {
    faultBehaviour.transientShare = 0;
    faultBehaviour.transientAttempts = 0;
    await run.dispose();
  });

  it('applies every key once, on the third attempt for the failing ones', async () => {
    const workload = buildWorkload(run.keyPrefix);
    const failing = [...workload.uniqueKeys].filter((key) =>
      failsTransiently(key, TRANSIENT_SHARE),
    );

    await run.publish(workload.events, 500);
    await run.waitUntilSettled(workload.uniqueKeys.size);

    const figures = await expectExactlyOnce(run, workload);
    // A failing key can only have succeeded from attempt 3 on: its earlier attempts threw, and
    // their effects rolled back with them. (Other keys may see attempt 2 too: a batch whose
    // transaction hits a deadlock is retried whole.)
    const early: { n: string }[] = await run.messaging.dataSource.query(
      'SELECT COUNT(*) AS n FROM fault_effect WHERE idempotency_key = ANY($1) AND attempt < 3',
      [failing],
    );
    expect(Number(early[0].n)).toBe(0);
    const outcomes = await run.outcomes();
    run.report('transient handler failures', {
      ...figures,
      failingKeys: failing.length,
      retries: outcomes.retry ?? 0,
      duplicatesAbsorbed: outcomes.duplicate ?? 0,
    });
  }, 240_000);
});
