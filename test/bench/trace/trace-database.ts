import { createDataSource, initializeDatabase } from '@threadline/persistence';
import { TEST_POSTGRES_ADMIN_URL } from '@threadline/testing';
import { Client } from 'pg';
import { generateGenealogy } from './genealogy.generator';
import { loadGenealogy } from './genealogy.loader';
import { generateShipments } from './shipment.generator';
import { round } from './trace-stats';

export interface GenealogySpec {
  readonly lots: number;
  readonly shipmentLines: number;
  readonly customers: number;
  readonly seed: number;
}

export interface PreparedDatabase {
  readonly url: string;
  readonly reused: boolean;
  readonly counts: Record<string, number>;
  /** Seconds per phase; zero when an earlier run's data was reused. */
  readonly seconds: { generate: number; load: number; indexAndAnalyze: number; total: number };
}

/** The bench database for a size; kept after the run so `--reuse` can skip generation. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A database holding the genealogy `spec` describes: with `reuse`, the one an earlier run left
 * when its marker and row counts match; otherwise dropped, created, migrated and bulk-loaded.
 */
export async function prepareDatabase(
  name: string,
  spec: GenealogySpec,
  reuse: boolean,
): Promise<PreparedDatabase> {
  const url = databaseUrl(name);
  const marker = JSON.stringify({ bench: 'trace', ...spec });
  if (reuse) {
    const counts = await reusableCounts(url, marker);
    if (counts) {
      // Migrations added since the data was loaded (e.g. table settings) apply to it too.
      const dataSource = createDataSource({ url });
      await initializeDatabase(dataSource);
      await dataSource.destroy();
      return {
        url,
        reused: true,
        counts,
        seconds: { generate: 0, load: 0, indexAndAnalyze: 0, total: 0 },
      };
    }
  }
  await withClient(TEST_POSTGRES_ADMIN_URL, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const dataSource = createDataSource({ url });
  await initializeDatabase(dataSource);
  await dataSource.destroy();

  const started = performance.now();
  const genealogy = generateGenealogy(spec.lots, spec.seed);
  const shipments = generateShipments(genealogy, spec.shipmentLines, spec.customers, spec.seed + 1);
  const generated = performance.now();
  let loaded = generated;
  await withClient(url, async (client) => {
    await loadGenealogy(client, genealogy, shipments, () => (loaded = performance.now()));
    await client.query(`COMMENT ON TABLE lot IS '${marker}'`);
  });
  const finished = performance.now();
  return {
    url,
    reused: false,
    counts: await withClient(url, countRows),
    seconds: {
      generate: round((generated - started) / 1000, 1),
      load: round((loaded - generated) / 1000, 1),
      indexAndAnalyze: round((finished - loaded) / 1000, 1),
      total: round((finished - started) / 1000, 1),
    },
  };
}

async function reusableCounts(
  url: string,
  marker: string,
): Promise<Record<string, number> | undefined> {
  try {
    return await withClient(url, async (client) => {
      const { rows } = await client.query<{ comment: string | null }>(
        `SELECT obj_description('lot'::regclass, 'pg_class') AS comment`,
      );
      if (rows[0]?.comment !== marker) return undefined;
      const counts = await countRows(client);
      const expected = JSON.parse(marker) as GenealogySpec;
      return counts.lot >= expected.lots && counts.shipment_line === expected.shipmentLines
        ? counts
        : undefined;
    });
  } catch {
    return undefined; // no such database (yet) or no lot table: generate
  }
}

async function countRows(client: Client): Promise<Record<string, number>> {
  const { rows } = await client.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM lot) AS lot, (SELECT count(*) FROM lot_link) AS lot_link,` +
      ` (SELECT count(*) FROM order_lot) AS order_lot,` +
      ` (SELECT count(*) FROM production_order) AS production_order,` +
      ` (SELECT count(*) FROM shipment_line) AS shipment_line,` +
      ` pg_database_size(current_database()) AS database_bytes`,
  );
  return Object.fromEntries(Object.entries(rows[0]).map(([key, value]) => [key, Number(value)]));
}

export async function withClient<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
