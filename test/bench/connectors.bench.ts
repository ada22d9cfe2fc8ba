import { cpus, loadavg } from 'node:os';
import { round } from './bench-support';
import {
  ConnectorBench,
  type ConnectorCaseResult,
  type ConsumerSettings,
} from './connectors.measure';
import { measureRawErpHttp, type RawHttpResult } from './raw-erp-http.measure';

const GOAL_SPEEDUP_AT_50_MS = 10;
const LATENCIES_MS = [0, 50] as const;
/** At 0 ms a command takes a few milliseconds: more of them keep each case a few seconds long. */
const ZERO_LATENCY_FACTOR = 4;
const SERIAL: ConsumerSettings = { prefetch: 1, batchSize: 1, concurrency: 1 };

interface Settings {
  readonly serialCommands: number;
  readonly concurrentCommands: number;
  readonly concurrent: ConsumerSettings & { concurrency: number };
  readonly poolSize: number;
  readonly rateLimit: { requestsPerSecond: number; burst: number };
}

interface LatencyCase {
  latencyMs: number;
  serialCommands: number;
  concurrentCommands: number;
  connector: { serial?: ConnectorCaseResult; concurrent?: ConnectorCaseResult };
  rawHttp: { serial?: RawHttpResult; concurrent?: RawHttpResult };
}

/**
 * npm run bench:connectors [-- --serial N] [--concurrent N] [--concurrency N] [--prefetch N]
 *   [--pool-size N] [--rate-limit RPS]
 * erp.inventory.hold.place commands per second through connector-erp (RabbitMQ, PostgreSQL, an
 * in-process plant simulator) with 0 and 50 ms of ERP latency, one at a time and concurrently,
 * against the same ERP calls made directly over HTTP in the same run. Prints one JSON object.
 */
async function main(): Promise<void> {
  const concurrency = numberFlag('--concurrency') ?? 32;
  const requestsPerSecond = numberFlag('--rate-limit') ?? 5_000;
  const settings: Settings = {
    serialCommands: numberFlag('--serial') ?? 100,
    concurrentCommands: numberFlag('--concurrent') ?? 1_000,
    concurrent: {
      prefetch: numberFlag('--prefetch') ?? concurrency * 2,
      batchSize: 1,
      concurrency,
    },
    poolSize: numberFlag('--pool-size') ?? Math.max(concurrency + 16, 24),
    rateLimit: { requestsPerSecond, burst: Math.max(1, Math.round(requestsPerSecond / 4)) },
  };
  const cases = LATENCIES_MS.map((latencyMs): LatencyCase => {
    const factor = latencyMs === 0 ? ZERO_LATENCY_FACTOR : 1;
    return {
      latencyMs,
      serialCommands: settings.serialCommands * factor,
      concurrentCommands: settings.concurrentCommands * factor,
      connector: {},
      rawHttp: {},
    };
  });
  const bench = await ConnectorBench.start(settings);
  try {
    await measureRawHttp(bench, cases, settings.concurrent.concurrency);
    for (const consumer of [SERIAL, settings.concurrent]) {
      await bench.useConsumer(consumer);
      for (const latencyCase of cases) await measureConnector(bench, latencyCase, consumer);
    }
  } finally {
    await bench.close();
  }
  process.stdout.write(`${JSON.stringify(report(settings, cases), null, 2)}\n`);
}

async function measureRawHttp(
  bench: ConnectorBench,
  cases: LatencyCase[],
  concurrency: number,
): Promise<void> {
  for (const latencyCase of cases) {
    for (const mode of ['serial', 'concurrent'] as const) {
      const workers = mode === 'serial' ? 1 : concurrency;
      await prepareErp(bench.simulator.url, latencyCase.latencyMs);
      process.stderr.write(`raw http: ${latencyCase.latencyMs} ms, ${mode}\n`);
      const result = await measureRawErpHttp(bench.simulator.url, {
        commands: mode === 'serial' ? latencyCase.serialCommands : latencyCase.concurrentCommands,
        concurrency: workers,
        warmUp: Math.max(10, workers * 2),
      });
      latencyCase.rawHttp[mode] = result;
    }
  }
}

async function measureConnector(
  bench: ConnectorBench,
  latencyCase: LatencyCase,
  consumer: ConsumerSettings,
): Promise<void> {
  const mode = consumer === SERIAL ? 'serial' : 'concurrent';
  await prepareErp(bench.simulator.url, latencyCase.latencyMs);
  process.stderr.write(`connector-erp: ${latencyCase.latencyMs} ms, ${mode}\n`);
  latencyCase.connector[mode] = await bench.measure(
    mode === 'serial' ? latencyCase.serialCommands : latencyCase.concurrentCommands,
    Math.max(10, (consumer.concurrency ?? 1) * 2),
  );
}

/** A fresh ERP for every case (holds are looked up linearly), with the case's latency. */
async function prepareErp(simulatorUrl: string, latencyMs: number): Promise<void> {
  await simulatorCall(simulatorUrl, '/_sim/reset');
  if (latencyMs > 0) await simulatorCall(simulatorUrl, '/_sim/faults/erp', { latencyMs });
}

async function simulatorCall(simulatorUrl: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${simulatorUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

function report(settings: Settings, cases: LatencyCase[]) {
  const byLatency = Object.fromEntries(
    cases.map((c) => {
      const serial = c.connector.serial!;
      const concurrent = c.connector.concurrent!;
      const raw = { serial: c.rawHttp.serial!, concurrent: c.rawHttp.concurrent! };
      return [
        `${c.latencyMs}ms`,
        {
          serial: serial.commandsPerSecond,
          concurrent: concurrent.commandsPerSecond,
          concurrency: settings.concurrent.concurrency,
          speedup: round(concurrent.commandsPerSecond / serial.commandsPerSecond),
          rawHttp: {
            serial: raw.serial.commandsPerSecond,
            concurrent: raw.concurrent.commandsPerSecond,
          },
          ratioToRaw: {
            serial: round(serial.commandsPerSecond / raw.serial.commandsPerSecond, 3),
            concurrent: round(concurrent.commandsPerSecond / raw.concurrent.commandsPerSecond, 3),
          },
          details: { connector: { serial, concurrent }, rawHttp: raw },
        },
      ];
    }),
  );
  const speedupAt50ms = (byLatency['50ms'] as { speedup: number }).speedup;
  return {
    bench: 'connectors',
    command: 'erp.inventory.hold.place (check-before-create: lookup GET + POST BatchHoldSet)',
    ...byLatency,
    goal: {
      speedupAt50ms: `>=${GOAL_SPEEDUP_AT_50_MS}`,
      met: speedupAt50ms >= GOAL_SPEEDUP_AT_50_MS,
    },
    settings: {
      serialConsumer: SERIAL,
      concurrentConsumer: settings.concurrent,
      poolSize: settings.poolSize,
      rateLimit: {
        ...settings.rateLimit,
        note:
          settings.rateLimit.requestsPerSecond === 200
            ? 'the example erp-sap.yaml limit (200 rps, burst 50): each command makes 2 ERP calls'
            : 'replaces the example erp-sap.yaml limit (200 rps, burst 50) in a copy of the config',
      },
      zeroLatencyCommandFactor: ZERO_LATENCY_FACTOR,
    },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      node: process.version,
      loadAverage1m: round(loadavg()[0]),
      note: 'the plant simulator runs in this process, on the same event loop as the connector',
    },
  };
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
      `bench:connectors failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
