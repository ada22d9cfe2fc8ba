import { randomUUID } from 'node:crypto';
import { FaultRun } from './support/fault-run';
import { expectExactlyOnce } from './support/fault-assertions';
import { startRabbitMq, stopRabbitMq } from './support/service-control';
import { buildWorkload } from './support/fault-workload';

const OUTAGE_MS = 5_000;

describe('fault: RabbitMQ stopped and started mid-stream', () => {
  const run = new FaultRun({ service: `fault-rabbitmq-${randomUUID().slice(0, 8)}` });

  beforeAll(() => run.start());
  afterAll(async () => {
    // Whatever happened, leave the broker running for whatever runs next.
    await startRabbitMq();
    await run.dispose();
  }, 180_000);

  it('reconnects by itself and applies every key once', async () => {
    const workload = buildWorkload(run.keyPrefix);
    // Paced, so the outbox keeps filling while the broker is away.
    const publishing = run.publish(workload.events, 100, 80);
    let outageSeconds = 0;

    await run.waitForEffects(3_000);
    const stopped = Date.now();
    try {
      await stopRabbitMq();
      const during = await run.effectCounts();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      // Nothing is consumed while the broker is down.
      expect((await run.effectCounts()).distinctKeys).toBeLessThanOrEqual(
        during.distinctKeys + 100,
      );
    } finally {
      await startRabbitMq();
      outageSeconds = (Date.now() - stopped) / 1000;
    }

    await publishing;
    await run.waitUntilSettled(workload.uniqueKeys.size);
    const figures = await expectExactlyOnce(run, workload);
    const outcomes = await run.outcomes();
    run.report('RabbitMQ stop_app/start_app', {
      ...figures,
      outageSeconds: outageSeconds.toFixed(1),
      duplicatesAbsorbed: outcomes.duplicate ?? 0,
    });
  }, 240_000);
});
