import type { FaultRun } from './fault-run';
import type { Workload } from './fault-workload';

export interface ExactlyOnceFigures {
  readonly published: number;
  readonly unique: number;
  readonly effects: number;
  /** Not asserted: events others published on the shared broker that this consumer also got. */
  readonly foreignEffects: number;
}

/**
 * The fault suite's verdict: every unique key applied exactly once (none lost, none twice), the
 * dead-letter queue empty unless `expectedDeadLetters` says otherwise, and the queues drained.
 */
export async function expectExactlyOnce(
  run: FaultRun,
  workload: Workload,
  expectedDeadLetters = 0,
): Promise<ExactlyOnceFigures> {
  const counts = await run.effectCounts();
  expect(await run.keysLost(workload.uniqueKeys)).toEqual([]);
  expect(await run.keysAppliedTwice()).toEqual([]);
  expect(counts).toEqual({
    rows: workload.uniqueKeys.size,
    distinctKeys: workload.uniqueKeys.size,
  });
  expect(await run.deadLettersOfThisRun()).toHaveLength(expectedDeadLetters);
  expect(await run.messagesInQueues()).toBe(0);
  expect(await run.unsentOutboxRows()).toBe(0);
  return {
    published: workload.events.length,
    unique: workload.uniqueKeys.size,
    effects: counts.rows,
    foreignEffects: await run.foreignEffects(),
  };
}
