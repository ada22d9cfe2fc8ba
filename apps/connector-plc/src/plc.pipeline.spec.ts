import type { CloudEvent } from '@threadline/contracts';
import { createLogger } from '@threadline/observability';
import type { PlcSettings, SignalSample } from './plc-config.types';
import { PlcPipeline, type EventSink } from './plc.pipeline';

const logger = createLogger({ service: 'plc-pipeline-spec', level: 'silent' });
const SOURCE = { plant: 'PLANT-01', connector: 'plc-line-1' };
const SETTINGS: PlcSettings = {
  opcua: [],
  modbus: [],
  telemetry: { maxBatchSize: 2, maxDelayMs: 50 },
  rules: {
    alarms: [
      {
        assetId: 'TORQUE-01',
        tag: 'torque',
        alarmCode: 'TORQUE-HIGH',
        severity: 'critical',
        above: 50,
        hysteresis: 1,
        minDurationMs: 0,
      },
    ],
    downtime: [],
  },
};

let clock = Date.parse('2026-05-14T08:00:00.000Z');
const sample = (value: number): SignalSample => ({
  assetId: 'TORQUE-01',
  tag: 'torque',
  value,
  sourceTime: new Date((clock += 100)).toISOString(),
  quality: 'good',
});

/** An outbox stand-in that fails the first `failures` writes, then records. */
class FlakyOutbox implements EventSink {
  readonly stored: CloudEvent[] = [];
  calls = 0;
  constructor(private failures: number) {}
  publish(...events: CloudEvent[]): Promise<void> {
    this.calls++;
    if (this.failures-- > 0) return Promise.reject(new Error('database is away'));
    this.stored.push(...events);
    return Promise.resolve();
  }
}

describe('PlcPipeline', () => {
  it('turns samples into alarm and telemetry events, in the order they happened', async () => {
    const outbox = new FlakyOutbox(0);
    const pipeline = new PlcPipeline(SOURCE, SETTINGS, outbox, logger);
    pipeline.start();
    pipeline.sink([sample(45), sample(55)]);
    pipeline.sink([sample(48)]);
    await pipeline.stop();
    expect(outbox.stored.map((event) => event.type)).toEqual([
      'equipment.alarm.raised',
      'equipment.telemetry.sampled',
      'equipment.alarm.cleared',
      'equipment.telemetry.sampled',
    ]);
    const telemetry = outbox.stored.filter((event) => event.type === 'equipment.telemetry.sampled');
    expect(telemetry.map((event) => (event.data as { samples: unknown[] }).samples.length)).toEqual(
      [2, 1],
    );
    expect(outbox.stored[0]).toMatchObject({
      source: '/plants/PLANT-01/plc/plc-line-1',
      subject: 'TORQUE-01',
      data: { alarmCode: 'TORQUE-HIGH', severity: 'critical', value: 55 },
    });
  });

  it('keeps events through failed writes and stores all of them, in order, once it can', async () => {
    const outbox = new FlakyOutbox(2);
    const pipeline = new PlcPipeline(SOURCE, SETTINGS, outbox, logger);
    pipeline.start();
    const values = [51, 40, 52, 41, 53, 42];
    for (const value of values) pipeline.sink([sample(value)]);
    await pipeline.stop();
    expect(outbox.calls).toBeGreaterThanOrEqual(3);
    const alarms = outbox.stored.filter((event) => event.type.startsWith('equipment.alarm'));
    expect(alarms.map((event) => event.type)).toEqual([
      'equipment.alarm.raised',
      'equipment.alarm.cleared',
      'equipment.alarm.raised',
      'equipment.alarm.cleared',
      'equipment.alarm.raised',
      'equipment.alarm.cleared',
    ]);
    const reported = outbox.stored
      .filter((event) => event.type === 'equipment.telemetry.sampled')
      .flatMap((event) => (event.data as { samples: { value: number }[] }).samples)
      .map((entry) => entry.value);
    expect(reported).toEqual(values);
    expect(new Set(outbox.stored.map((event) => event.idempotencykey)).size).toBe(
      outbox.stored.length,
    );
  });
});
