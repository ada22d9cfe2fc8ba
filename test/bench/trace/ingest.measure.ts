import { createDataSource, initializeDatabase } from '@threadline/persistence';
import { SchemaRegistry } from '@threadline/schema-registry';
import { TEST_POSTGRES_ADMIN_URL } from '@threadline/testing';
import { GenealogyRecorder } from '../../../apps/traceability/src/genealogy/genealogy.recorder';
import { lotEventStream } from './lot-events';
import { databaseUrl, withClient } from './trace-database';
import { percentiles, round, timed, type Percentiles } from './trace-stats';

export interface IngestFigures {
  readonly events: number;
  readonly batchSize: number;
  readonly eventsPerSecond: number;
  readonly seconds: number;
  readonly batchMs: Percentiles;
  readonly byType: Record<string, number>;
}

/**
 * Lot events through the service's GenealogyRecorder, `batchSize` per transaction as the
 * consumer commits them, into a fresh migrated database of its own. Every event is checked
 * against the schema registry first, so only valid CloudEvents are timed.
 */
export async function measureIngest(
  name: string,
  count: number,
  batchSize: number,
  seed: number,
): Promise<IngestFigures> {
  const events = lotEventStream(count, seed);
  const registry = SchemaRegistry.fromDirectory();
  const byType: Record<string, number> = {};
  for (const event of events) {
    const result = registry.validate(event);
    if (!result.valid) {
      throw new Error(`ingest event ${event.type} is invalid: ${JSON.stringify(result.errors)}`);
    }
    byType[event.type] = (byType[event.type] ?? 0) + 1;
  }
  await withClient(TEST_POSTGRES_ADMIN_URL, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const dataSource = createDataSource({ url: databaseUrl(name) });
  await initializeDatabase(dataSource);
  const recorder = new GenealogyRecorder();
  const batchMs: number[] = [];
  try {
    const started = performance.now();
    for (let from = 0; from < events.length; from += batchSize) {
      const batch = events.slice(from, from + batchSize);
      const { ms } = await timed(() =>
        dataSource.transaction(async (manager) => {
          for (const event of batch) await recorder.record(event, manager);
        }),
      );
      batchMs.push(ms);
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      events: events.length,
      batchSize,
      eventsPerSecond: Math.round(events.length / seconds),
      seconds: round(seconds),
      batchMs: percentiles(batchMs),
      byType,
    };
  } finally {
    await dataSource.destroy();
  }
}
