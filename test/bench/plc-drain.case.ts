import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventPublisher } from '@threadline/messaging';
import { createDataSource, initializeDatabase } from '@threadline/persistence';
import { SchemaRegistry } from '@threadline/schema-registry';
import { telemetryEvent } from '../../apps/connector-plc/src/signals/plc-events';
import type { SignalSample } from '../../apps/connector-plc/src/plc-config.types';
import { round, waitUntil } from './bench-support';
import { ProcessWatch } from './plc-bench-support';
import type { BenchContext } from './plc-case.runner';
import { startConnector } from './plc-connector.process';
import { connectorConfig } from './plc-workload';

export interface DrainOutcome {
  readonly bufferedEvents: number;
  readonly bufferedSamples: number;
  /** From the connector's start to the last sample counted in the queue. */
  readonly drainSeconds: number;
  readonly eventsPerSecond: number;
  readonly samplesDelivered: number;
  readonly rssAtStartMb: number;
  readonly rssMedianMb: number;
  /** VmHWM: start-up and the whole drain. */
  readonly rssPeakMb: number;
}

const SAMPLES_PER_EVENT = 100;
const WRITE_BATCH = 500;

/**
 * After an outage: `events` telemetry events (100 samples each, as the pipeline writes them) wait
 * in the SQLite outbox; `threadline serve connector-plc` (no sources, the edge process settings)
 * starts with the broker back and its relay drains them. Shows that the edge heap settings
 * (ADR 0011) hold a backlog: every sample reaches the queue, and the RSS it took.
 */
export async function runDrain(context: BenchContext, events: number): Promise<DrainOutcome> {
  process.stderr.write(`bench:plc drain of ${events} buffered events\n`);
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-bench-plc-drain-'));
  try {
    const sqlitePath = join(workspace, 'edge.sqlite');
    await bufferEvents(sqlitePath, events);
    const before = context.counter.now();
    const started = performance.now();
    const connector = await startConnector({
      compiledRoot: context.compiledRoot,
      workspace,
      amqpUrl: context.amqpUrl,
      database: { sqlitePath },
      config: connectorConfig(
        { tagsPerAsset: 100, maxBatchSize: SAMPLES_PER_EVENT, maxDelayMs: 1_000, alarmRules: 0 },
        { pkiDir: workspace },
      ),
      env: context.connectorEnv,
    });
    const watch = new ProcessWatch(connector.pid);
    try {
      const expected = events * SAMPLES_PER_EVENT;
      await waitUntil(
        () => context.counter.samples - before.samples >= expected,
        'every buffered sample to reach the queue',
        600_000,
        50,
      ).catch(() => undefined); // a shortfall shows in samplesDelivered
      const drainSeconds = (performance.now() - started) / 1000;
      return {
        bufferedEvents: events,
        bufferedSamples: expected,
        drainSeconds: round(drainSeconds),
        eventsPerSecond: Math.round(events / drainSeconds),
        samplesDelivered: context.counter.samples - before.samples,
        rssAtStartMb: connector.rssAtStartMb,
        rssMedianMb: watch.medianRssMb(),
        rssPeakMb: watch.peakRssMb(),
      };
    } finally {
      watch.stop();
      await connector.stop();
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Writes the backlog through the publisher (validated, 500 per transaction), as the pipeline. */
async function bufferEvents(sqlitePath: string, events: number): Promise<void> {
  const dataSource = createDataSource({ sqlitePath });
  await initializeDatabase(dataSource);
  try {
    const registry = SchemaRegistry.fromDirectory(undefined, { compile: 'onFirstUse' });
    const publisher = new EventPublisher({ registry, dataSource });
    const source = { plant: 'PLANT-01', connector: 'plc-bench' };
    const start = Date.now() - events * 10;
    for (let first = 0; first < events; first += WRITE_BATCH) {
      const batch = [];
      for (let index = first; index < Math.min(events, first + WRITE_BATCH); index++) {
        const assetId = `BENCH-${String(index % 50).padStart(3, '0')}`;
        const samples: SignalSample[] = Array.from({ length: SAMPLES_PER_EVENT }, (_, tag) => ({
          assetId,
          tag: `value-${tag}`,
          value: index + tag / 10,
          sourceTime: new Date(start + index * 10 + tag).toISOString(),
          quality: 'good',
        }));
        batch.push(telemetryEvent(source, { assetId, samples }));
      }
      await publisher.publish(...(batch as never[]));
    }
  } finally {
    await dataSource.destroy();
  }
}
