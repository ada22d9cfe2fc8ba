/**
 * bench:validate: how many ~1 KB envelopes one core can parse and validate per second, against
 * JSON.parse alone on the same buffers in the same run. Prints one JSON object.
 *
 * BENCH_SECONDS (default 3) sets the measuring time of each phase, after a warm-up. The two
 * phases run in alternating slices of SLICE_SECONDS, so that other work on a shared machine
 * weighs on both alike and the ratio stays meaningful. Rates are wall-clock; the fastest slice
 * of each phase, the rates per CPU second of this process and the 1-minute load average are
 * printed too, to judge how much the machine's other work lowered the figure.
 */
import { cpus, loadavg } from 'node:os';
import { SchemaRegistry } from '@threadline/schema-registry';
import { buildEnvelopeMix } from './validate-envelopes';

const GOAL_PER_SECOND = 200_000;
const COPIES_PER_EXAMPLE = 50;
const WARM_UP_SECONDS = 1;
const SLICE_SECONDS = 0.2;
const MEASURE_SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

type Operation = (buffer: Buffer) => boolean;

interface Slice {
  operations: number;
  seconds: number;
  cpuSeconds: number;
}

/** Runs `operation` over the buffers, round after round, for about `seconds`. */
function runSlice(buffers: readonly Buffer[], seconds: number, operation: Operation): Slice {
  const budget = BigInt(Math.round(seconds * 1e9));
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  let operations = 0;
  let accepted = 0;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let index = 0; index < buffers.length; index++) {
      if (operation(buffers[index])) accepted++;
    }
    operations += buffers.length;
    elapsed = process.hrtime.bigint() - started;
  }
  // Every message in the mix is valid: a rejection means the wrong path was measured.
  if (accepted !== operations) throw new Error(`${operations - accepted} envelopes were rejected`);
  const cpu = process.cpuUsage(cpuBefore);
  return { operations, seconds: Number(elapsed) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** One measured operation: the sum of its slices and its fastest slice. */
class Phase {
  operations = 0;
  seconds = 0;
  cpuSeconds = 0;
  fastestSlicePerSecond = 0;

  constructor(readonly operation: Operation) {}

  record(slice: Slice): void {
    this.operations += slice.operations;
    this.seconds += slice.seconds;
    this.cpuSeconds += slice.cpuSeconds;
    this.fastestSlicePerSecond = Math.max(
      this.fastestSlicePerSecond,
      Math.round(slice.operations / slice.seconds),
    );
  }

  perSecond(clock: 'wall' | 'cpu' = 'wall'): number {
    return Math.round(this.operations / (clock === 'wall' ? this.seconds : this.cpuSeconds));
  }
}

/** Warms the phases up, then alternates slices of them until each has run `seconds`. */
function measureAlternating(
  buffers: readonly Buffer[],
  phases: readonly Phase[],
  seconds: number,
): void {
  for (const phase of phases) runSlice(buffers, WARM_UP_SECONDS, phase.operation);
  for (let slice = 0; slice < Math.ceil(seconds / SLICE_SECONDS); slice++) {
    for (const phase of phases) phase.record(runSlice(buffers, SLICE_SECONDS, phase.operation));
  }
}

function main(): void {
  const registry = SchemaRegistry.fromDirectory();
  const buffers = buildEnvelopeMix(registry, COPIES_PER_EXAMPLE);
  const totalBytes = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
  const types = new Set(
    buffers.map((buffer) => (JSON.parse(buffer.toString('utf8')) as { type: string }).type),
  );

  const parseOnly = new Phase((buffer) => JSON.parse(buffer.toString('utf8')) !== null);
  const parseAndValidate = new Phase((buffer) => registry.validateJson(buffer).valid);
  measureAlternating(buffers, [parseOnly, parseAndValidate], MEASURE_SECONDS);

  const validationsPerSecond = parseAndValidate.perSecond();
  const jsonParseOnlyPerSecond = parseOnly.perSecond();
  const result = {
    name: 'parse + validate canonical envelopes (one core)',
    envelopes: buffers.length,
    types: types.size,
    avgBytes: Math.round(totalBytes / buffers.length),
    durationSeconds: Math.round(parseAndValidate.seconds * 100) / 100,
    validationsPerSecond,
    baseline: { jsonParseOnlyPerSecond },
    ratioToParseOnly: Math.round((validationsPerSecond / jsonParseOnlyPerSecond) * 1000) / 1000,
    goal: GOAL_PER_SECOND,
    meetsGoal: validationsPerSecond >= GOAL_PER_SECOND,
    fastestSlice: {
      validationsPerSecond: parseAndValidate.fastestSlicePerSecond,
      jsonParseOnlyPerSecond: parseOnly.fastestSlicePerSecond,
    },
    perCpuSecond: {
      validations: parseAndValidate.perSecond('cpu'),
      jsonParseOnly: parseOnly.perSecond('cpu'),
    },
    machine: { node: process.version, cpus: cpus().length, loadAverage1m: loadavg()[0] },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main();
