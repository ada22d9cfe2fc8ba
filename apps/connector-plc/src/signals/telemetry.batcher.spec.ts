import type { SignalSample } from '../plc-config.types';
import { TelemetryBatcher, type TelemetryBatch } from './telemetry.batcher';

const sample = (assetId: string, tag: string, value: number): SignalSample => ({
  assetId,
  tag,
  value,
  sourceTime: '2026-05-14T08:00:00.000Z',
  quality: 'good',
});

describe('TelemetryBatcher', () => {
  let batches: TelemetryBatch[];

  beforeEach(() => {
    jest.useFakeTimers();
    batches = [];
  });

  afterEach(() => jest.useRealTimers());

  const batcher = (maxBatchSize = 3, maxDelayMs = 1_000) =>
    new TelemetryBatcher({ maxBatchSize, maxDelayMs }, (batch) => batches.push(batch));

  it('sends a batch per asset as soon as it is full', () => {
    const telemetry = batcher();
    telemetry.add([
      sample('A', 'torque', 1),
      sample('B', 'torque', 1),
      sample('A', 'speed', 2),
      sample('A', 'temp', 3),
    ]);
    expect(batches).toEqual([
      {
        assetId: 'A',
        samples: [sample('A', 'torque', 1), sample('A', 'speed', 2), sample('A', 'temp', 3)],
      },
    ]);
  });

  it('sends a partial batch after maxDelayMs from its first sample', () => {
    const telemetry = batcher();
    telemetry.add([sample('B', 'torque', 1)]);
    jest.advanceTimersByTime(999);
    expect(batches).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(batches).toEqual([{ assetId: 'B', samples: [sample('B', 'torque', 1)] }]);
  });

  it('reports by exception: an unchanged value and quality is not sent again', () => {
    const telemetry = batcher(10);
    telemetry.add([sample('A', 'torque', 1), sample('A', 'torque', 1), sample('A', 'torque', 2)]);
    telemetry.add([sample('A', 'torque', 2), { ...sample('A', 'torque', 2), quality: 'bad' }]);
    telemetry.flush();
    expect(batches[0].samples.map((s) => [s.value, s.quality])).toEqual([
      [1, 'good'],
      [2, 'good'],
      [2, 'bad'],
    ]);
  });

  it('flush sends every open batch at once', () => {
    const telemetry = batcher();
    telemetry.add([sample('A', 'torque', 1), sample('B', 'torque', 1)]);
    telemetry.flush();
    expect(batches.map((batch) => batch.assetId)).toEqual(['A', 'B']);
    jest.advanceTimersByTime(5_000);
    expect(batches).toHaveLength(2);
  });
});
