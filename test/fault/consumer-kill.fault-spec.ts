import { randomUUID } from 'node:crypto';
import { ConsumerChild } from './support/consumer-child';
import { FaultRun } from './support/fault-run';
import { expectExactlyOnce } from './support/fault-assertions';
import { buildWorkload } from './support/fault-workload';

describe('fault: the consumer process killed with SIGKILL mid-stream', () => {
  const service = `fault-sigkill-${randomUUID().slice(0, 8)}`;
  const run = new FaultRun({ service, consumeHere: false });
  const children: ConsumerChild[] = [];
  const startChild = async () => {
    const child = await ConsumerChild.start({
      databaseUrl: run.databaseUrl,
      service,
      retryPolicy: run.retryPolicy,
    });
    children.push(child);
    return child;
  };

  beforeAll(() => run.start());
  afterAll(async () => {
    for (const child of children) await child.kill();
    await run.dispose();
  });

  it('loses nothing and applies nothing twice after a restart', async () => {
    const workload = buildWorkload(run.keyPrefix);
    const first = await startChild();
    const publishing = run.publish(workload.events, 100, 40);

    await run.waitForEffects(3_000);
    await first.kill();
    const atKill = await run.effectCounts();
    await startChild();

    await publishing;
    await run.waitUntilSettled(workload.uniqueKeys.size);
    const figures = await expectExactlyOnce(run, workload);
    run.report('consumer SIGKILL and restart', { ...figures, effectsAtKill: atKill.distinctKeys });
  }, 240_000);
});
