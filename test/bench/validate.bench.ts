/**
 * bench:validate: how many ~1 KB envelopes one core can parse and validate per second, against
 * JSON.parse alone on the same buffers in the same run. Prints one JSON object.
 *
 * BENCH_SECONDS (default 3) sets the measuring time per phase; each phase warms up first.
 * Rates are wall-clock; the same rates per CPU second of this process and the 1-minute load
 * average are printed too, since other work on a shared machine lowers the wall-clock figure.
 */
import { cpus, loadavg } from 'node:os';
import { SchemaRegistry } from '@threadline/schema-registry';
import { buildEnvelopeMix } from './validate-envelopes';

const GOAL_PER_SECOND = 200_000;
const COPIES_PER_EXAMPLE = 50;
const WARM_UP_SECONDS = 1;
const MEASURE_SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

interface Measurement {
  operations: number;
  seconds: number;
  cpuSeconds: number;
}

/** Runs `operation` over the buffers, round after round, for about `seconds`. */
function measure(
  buffers: readonly Buffer[],
  seconds: number,
  operation: (buffer: Buffer) => boolean,
): Measurement {
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
  // Every message in the mix is valid: a rejected one means the benchmark measured the wrong path.
  if (accepted !== operations) throw new Error(`${operations - accepted} envelopes were rejected`);
  const cpu = process.cpuUsage(cpuBefore);
  return { operations, seconds: Number(elapsed) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function perSecond(measurement: Measurement, clock: 'wall' | 'cpu' = 'wall'): number {
  const seconds = clock === 'wall' ? measurement.seconds : measurement.cpuSeconds;
  return Math.round(measurement.operations / seconds);
}

function main(): void {
  const registry = SchemaRegistry.fromDirectory();
  const buffers = buildEnvelopeMix(registry, COPIES_PER_EXAMPLE);
  const totalBytes = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
  const types = new Set(
    buffers.map((buffer) => (JSON.parse(buffer.toString('utf8')) as { type: string }).type),
  );

  const parseOnly = (buffer: Buffer) => JSON.parse(buffer.toString('utf8')) !== null;
  const parseAndValidate = (buffer: Buffer) => registry.validateJson(buffer).valid;

  measure(buffers, WARM_UP_SECONDS, parseOnly);
  const baseline = measure(buffers, MEASURE_SECONDS, parseOnly);
  measure(buffers, WARM_UP_SECONDS, parseAndValidate);
  const validated = measure(buffers, MEASURE_SECONDS, parseAndValidate);

  const validationsPerSecond = perSecond(validated);
  const jsonParseOnlyPerSecond = perSecond(baseline);
  const result = {
    name: 'parse + validate canonical envelopes (one core)',
    envelopes: buffers.length,
    types: types.size,
    avgBytes: Math.round(totalBytes / buffers.length),
    durationSeconds: Math.round(validated.seconds * 100) / 100,
    validationsPerSecond,
    baseline: { jsonParseOnlyPerSecond },
    ratioToParseOnly: Math.round((validationsPerSecond / jsonParseOnlyPerSecond) * 1000) / 1000,
    goal: GOAL_PER_SECOND,
    meetsGoal: validationsPerSecond >= GOAL_PER_SECOND,
    perCpuSecond: {
      validations: perSecond(validated, 'cpu'),
      jsonParseOnly: perSecond(baseline, 'cpu'),
    },
    machine: { node: process.version, cpus: cpus().length, loadAverage1m: loadavg()[0] },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main();
