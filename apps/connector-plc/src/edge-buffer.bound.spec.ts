import { buildEnvelope } from '@threadline/contracts';
import { MessagingRuntime } from '@threadline/messaging';
import { MetricsRegistry, createLogger } from '@threadline/observability';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { EdgeBufferJanitor } from './edge-buffer.bound';

const logger = createLogger({ service: 'edge-buffer-spec', level: 'silent' });

function telemetry(n: number): CloudEventEnvelope {
  return buildEnvelope({
    type: 'equipment.telemetry.sampled',
    data: {
      assetId: 'TORQUE-01',
      samples: [{ tag: 'torque', value: n, sourceTime: '2026-05-14T08:00:00.000Z' }],
    },
    subject: 'TORQUE-01',
    source: { plant: 'PLANT-01', system: 'plc', connectorId: 'plc' },
    fact: { system: 'plc', objectId: 'TORQUE-01', fact: `telemetry-${n}` },
  }) as unknown as CloudEventEnvelope;
}

describe('EdgeBufferJanitor', () => {
  let runtime: MessagingRuntime;
  let metrics: MetricsRegistry;

  beforeEach(async () => {
    runtime = await MessagingRuntime.create({
      database: { sqlitePath: ':memory:' },
      logger,
      relay: false,
    });
    metrics = new MetricsRegistry({ collectProcessMetrics: false });
    for (let n = 1; n <= 10; n++) await runtime.publisher.publish(telemetry(n));
  });

  afterEach(() => runtime.stop());

  const unsent = async () =>
    (
      await runtime.dataSource.query<{ body: string }[]>(
        'SELECT body FROM outbox WHERE sent_at IS NULL ORDER BY id',
      )
    ).map((row) => JSON.parse(row.body).data.samples[0].value as number);

  const janitor = (bound: { maxBytes: number; maxAgeHours: number }, now = Date.now) =>
    new EdgeBufferJanitor({
      connector: 'plc',
      bound,
      dataSource: runtime.dataSource,
      logger,
      metrics,
      now,
    });

  it('drops the oldest unsent events past the size bound, counts them, leaves sent ones', async () => {
    await runtime.dataSource.query(`UPDATE outbox SET sent_at = CURRENT_TIMESTAMP WHERE id <= 2`);
    // A bound that holds exactly the newest five unsent events.
    const newestFive = await runtime.dataSource.query<{ size: number }[]>(
      'SELECT LENGTH(body) AS size FROM outbox WHERE sent_at IS NULL ORDER BY id DESC LIMIT 5',
    );
    const maxBytes = newestFive.reduce((sum, row) => sum + row.size, 0);
    const dropped = await janitor({ maxBytes, maxAgeHours: 24 }).enforce();
    expect(dropped).toBe(3);
    expect(await unsent()).toEqual([6, 7, 8, 9, 10]);
    expect(await runtime.dataSource.query('SELECT COUNT(*) AS n FROM outbox')).toEqual([{ n: 7 }]);
    expect(await metrics.text()).toContain(
      'threadline_plc_buffer_dropped_total{connector="plc"} 3',
    );
  });

  it('drops unsent events older than the age bound', async () => {
    const later = () => Date.now() + 25 * 3_600_000;
    expect(await janitor({ maxBytes: 1 << 30, maxAgeHours: 24 }, later).enforce()).toBe(10);
    expect(await unsent()).toEqual([]);
  });

  it('drops nothing within its bound', async () => {
    expect(await janitor({ maxBytes: 1 << 30, maxAgeHours: 24 }).enforce()).toBe(0);
    expect(await unsent()).toHaveLength(10);
  });
});
