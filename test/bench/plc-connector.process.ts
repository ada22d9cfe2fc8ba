import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { ConnectorConfig } from '@threadline/connector-sdk';
import { exited, megabytes, readRss } from './plc-bench-support';

export type OutboxDatabase = { sqlitePath: string } | { url: string };

export interface ConnectorInternals {
  readonly pollOverruns: number;
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
}

export interface ConnectorProcess {
  readonly pid: number;
  /** RSS when the service reported itself started (modules loaded, sources connecting). */
  readonly rssAtStartMb: number;
  /** Its Prometheus endpoint (process and Node.js metrics included). */
  readonly metricsUrl: string;
  /** threadline_plc_samples_total of every source: samples handed to the signal pipeline. */
  samples(): Promise<number>;
  /** Poll overruns (skipped Modbus cycles) and the V8 heap, from its own metrics. */
  internals(): Promise<ConnectorInternals>;
  /** SIGTERM, as a container stop: sources stop, batches are flushed, the relay drains. */
  stop(): Promise<void>;
}

/**
 * The connector as production runs it: `node dist/apps/threadline/src/main.js serve
 * connector-plc` (here the bench's compiled copy) with AMQP_URL, the outbox on a SQLite file (no
 * DATABASE_URL, the edge set-up) or PostgreSQL, and CONNECTORS_DIR holding one configuration.
 * Its metrics port is picked at random and read from the 'threadline serving' log line.
 */
export async function startConnector(options: {
  compiledRoot: string;
  workspace: string;
  amqpUrl: string;
  database: OutboxDatabase;
  config: ConnectorConfig;
  /** Added to the environment: the edge process settings (EDGE_PROCESS_ENV) unless told otherwise. */
  env?: Readonly<Record<string, string>>;
}): Promise<ConnectorProcess> {
  // JSON is YAML: the file is the configuration object as it is.
  writeFileSync(join(options.workspace, 'plc.yaml'), JSON.stringify(options.config, null, 2));
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    AMQP_URL: options.amqpUrl,
    CONNECTORS_DIR: options.workspace,
    LOG_LEVEL: 'info',
    ...options.env,
    ...('url' in options.database
      ? { DATABASE_URL: options.database.url }
      : { THREADLINE_SQLITE_PATH: options.database.sqlitePath }),
  };
  const main = join(options.compiledRoot, 'apps', 'threadline', 'src', 'main.js');
  const child = spawn(process.execPath, [main, 'serve', 'connector-plc', '--metrics-port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const metricsPort = await servingPort(child);
  const rssAtStartMb = megabytes(readRss(child.pid!));
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  return {
    pid: child.pid!,
    rssAtStartMb,
    metricsUrl,
    samples: async () =>
      sumOf(await (await fetch(metricsUrl)).text(), 'threadline_plc_samples_total'),
    internals: async () => {
      const text = await (await fetch(metricsUrl)).text();
      return {
        pollOverruns: sumOf(text, 'threadline_plc_poll_overruns_total'),
        heapUsedMb: megabytes(sumOf(text, 'threadline_nodejs_heap_size_used_bytes')),
        heapTotalMb: megabytes(sumOf(text, 'threadline_nodejs_heap_size_total_bytes')),
      };
    },
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

/** Reads the service's log lines until 'threadline serving'; the rest is drained unread. */
function servingPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.includes('"threadline serving"')) return;
      resolve((JSON.parse(line) as { metricsPort: number }).metricsPort);
    });
    child.once('exit', (code) =>
      reject(new Error(`connector-plc exited (${code}) before serving`)),
    );
  });
}

function sumOf(exposition: string, metric: string): number {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Samples in telemetry events still unsent in the outbox (after the connector stopped). */
export async function unsentSamples(database: OutboxDatabase): Promise<number> {
  const sql = `SELECT body FROM outbox WHERE sent_at IS NULL AND routing_key = 'equipment.telemetry.sampled'`;
  let bodies: string[];
  if ('url' in database) {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      bodies = (await client.query<{ body: string }>(sql)).rows.map((row) => row.body);
    } finally {
      await client.end();
    }
  } else {
    const sqlite = new Database(database.sqlitePath, { readonly: true });
    try {
      bodies = (sqlite.prepare(sql).all() as { body: string }[]).map((row) => row.body);
    } finally {
      sqlite.close();
    }
  }
  return bodies.reduce(
    (sum, body) => sum + (JSON.parse(body) as { data: { samples: unknown[] } }).data.samples.length,
    0,
  );
}
