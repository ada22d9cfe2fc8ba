import { cpus, totalmem } from 'node:os';
import { createDataSource } from '@threadline/persistence';
import { measureIngest, type IngestFigures } from './trace/ingest.measure';
import { measureServiceIngest } from './trace/ingest-service.measure';
import { prepareDatabase } from './trace/trace-database';
import { measureKind, pickRoots, type KindFigures, type QueryKind } from './trace/trace.measure';

/** Issue #6: p99 at 1,000,000 lots, and no more than 1.5 times that at 10,000,000. */
const TRACE_P99_MS = 10;
const RECALL_P99_MS = 25;
const LARGE_FACTOR = 1.5;
const WARM_UP = 100;
const KINDS: readonly QueryKind[] = ['traceBackward', 'traceForward', 'recallScope'];

/**
 * npm run bench:trace [-- --lots N] [--roots N] [--seed N] [--reuse] [--ingest-events N]
 *   [--no-ingest]
 * Generates a genealogy into the service's tables in PostgreSQL (or, with --reuse, keeps the one
 * an earlier run with the same size and seed left), times backward trace, forward trace and
 * recall scope through GenealogyQueries beside a plain recursive CTE over the same roots, and
 * the ingest rate of lot events through the GenealogyRecorder alone and through the service on
 * RabbitMQ (consumer, inbox, recorder, gap check). Prints one JSON object.
 */
async function main(): Promise<void> {
  const lots = numberFlag('--lots') ?? 1_000_000;
  const rootCount = numberFlag('--roots') ?? 1_000;
  const seed = numberFlag('--seed') ?? 20_260_514;
  const spec = {
    lots,
    shipmentLines: Math.round(lots / 5),
    customers: Math.max(100, Math.round(lots / 500)),
    seed,
  };
  const name = `threadline_bench_trace_${lots}`;
  const database = await prepareDatabase(name, spec, process.argv.includes('--reuse'));
  const dataSource = createDataSource({ url: database.url });
  await dataSource.initialize();
  const results = {} as Record<QueryKind, KindFigures>;
  try {
    const roots = await pickRoots(dataSource, rootCount, seed + 2);
    const warm = await pickRoots(dataSource, WARM_UP, seed + 3);
    for (const kind of KINDS) {
      const measured = kind === 'traceBackward' ? roots.backward : roots.forward;
      const warmRoots = kind === 'traceBackward' ? warm.backward : warm.forward;
      results[kind] = await measureKind(dataSource, kind, measured, warmRoots);
    }
  } finally {
    await dataSource.destroy();
  }
  const ingest: IngestFigures | undefined = process.argv.includes('--no-ingest')
    ? undefined
    : await measureIngest(
        'threadline_bench_trace_ingest',
        numberFlag('--ingest-events') ?? 20_000,
        100,
        seed,
      );
  const ingestThroughService = process.argv.includes('--no-ingest')
    ? undefined
    : await measureServiceIngest(numberFlag('--ingest-events') ?? 20_000, seed);

  const factor = lots > 1_000_000 ? LARGE_FACTOR : 1;
  const goals = { traceP99Ms: TRACE_P99_MS * factor, recallP99Ms: RECALL_P99_MS * factor };
  const report = {
    bench: 'trace',
    lots: database.counts.lot,
    links: database.counts.lot_link,
    orderLots: database.counts.order_lot,
    productionOrders: database.counts.production_order,
    shipmentLines: database.counts.shipment_line,
    database: {
      name,
      reused: database.reused,
      megabytes: Math.round(database.counts.database_bytes / 2 ** 20),
    },
    generationSeconds: database.seconds,
    roots: rootCount,
    warmUp: WARM_UP,
    unit: 'ms',
    results: {
      traceBackward: results.traceBackward.api,
      traceForward: results.traceForward.api,
      recallScope: results.recallScope.api,
      baseline: {
        traceBackward: results.traceBackward.baseline,
        traceForward: results.traceForward.baseline,
        recallScope: results.recallScope.baseline,
      },
    },
    goals: {
      ...goals,
      met:
        results.traceBackward.api.p99 < goals.traceP99Ms &&
        results.traceForward.api.p99 < goals.traceP99Ms &&
        results.recallScope.api.p99 < goals.recallP99Ms,
    },
    resultSizes: {
      traceBackward: {
        nodes: results.traceBackward.sizes.nodes,
        edges: results.traceBackward.sizes.edges,
      },
      traceForward: {
        nodes: results.traceForward.sizes.nodes,
        edges: results.traceForward.sizes.edges,
      },
      recallScope: {
        lots: results.recallScope.sizes.nodes,
        shipmentLines: results.recallScope.sizes.shipmentLines,
      },
    },
    baselineMismatches: Object.fromEntries(KINDS.map((kind) => [kind, results[kind].mismatches])),
    ingest: ingest && { recorder: ingest, throughService: ingestThroughService },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:trace failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
