import type { OpcUaItem } from '../../apps/connector-plc/src/plc-config.types';
import { eventually } from '@threadline/testing';
import { metricValue } from '../support/metric-value';
import { OpcUaTestBed, sleep, type SourceUnderTest } from '../support/opcua-source-harness';

const item = (nodeId: string, assetId: string, tag: string, extra: Partial<OpcUaItem> = {}) => ({
  nodeId,
  assetId,
  tag,
  samplingIntervalMs: 50,
  queueSize: 10,
  ...extra,
});

const LABELS = { connector: 'plc-line-1', source: 'line-1-plc' };

describe('OPC UA source against the plant simulator (real TCP)', () => {
  let bed: OpcUaTestBed;

  beforeAll(async () => {
    bed = await OpcUaTestBed.start();
  });
  afterEach(() => bed.machines.releaseAll());
  afterAll(() => bed?.close());

  it('delivers data changes of both machines as named, scaled samples with source time and quality', async () => {
    bed.machines.inject('torque-station', 'torque', 42.5);
    bed.machines.inject('mixer', 'temperature', 50);
    bed.machines.inject('mixer', 'running', false);
    const started = Date.now();
    const run = await bed.startSource(
      bed.endpoint([
        {
          name: 'fast',
          publishingIntervalMs: 100,
          items: [
            item('ns=1;s=TorqueStation.Torque', 'TS-01', 'torque', { unit: 'N.m' }),
            // Celsius to Fahrenheit, to see the scale applied.
            item('ns=1;s=Mixer.Temperature', 'MX-01', 'temperatureF', {
              scale: { factor: 1.8, offset: 32 },
            }),
            item('ns=1;s=Mixer.Running', 'MX-01', 'running'),
          ],
        },
      ]),
    );
    await eventually(
      () => ['torque', 'temperatureF', 'running'].every((tag) => run.of(tag).length > 0),
      'a sample of every tag',
    );
    expect(run.of('torque')[0]).toMatchObject({ assetId: 'TS-01', value: 42.5, quality: 'good' });
    expect(run.of('temperatureF')[0]).toMatchObject({ assetId: 'MX-01', value: 122 });
    expect(run.of('running')[0]).toMatchObject({ assetId: 'MX-01', value: false });
    const sourceTime = Date.parse(run.of('torque')[0].sourceTime);
    expect(sourceTime).toBeGreaterThanOrEqual(started - 1_000);
    expect(sourceTime).toBeLessThanOrEqual(Date.now());

    bed.machines.inject('torque-station', 'torque', 47.25);
    await eventually(() => run.of('torque').some((s) => s.value === 47.25), 'the new torque');
    expect(run.source.state()).toBe('up');
    expect(await metricValue(run.metrics.plcSourceUp, LABELS)).toBe(1);
    expect(await metricValue(run.metrics.plcSamples, LABELS)).toBe(run.samples.length);
    await run.source.stop();
    expect(run.source.state()).toBe('down');
  });

  it('lets the server suppress changes inside an absolute or a percent (of EURange) deadband', async () => {
    bed.machines.inject('torque-station', 'spindleSpeed', 1_000);
    bed.machines.inject('mixer', 'torque', 100);
    const run = await bed.startSource(
      bed.endpoint([
        {
          name: 'deadbands',
          publishingIntervalMs: 50,
          items: [
            item('ns=1;s=TorqueStation.SpindleSpeed', 'TS-01', 'spindleSpeed', {
              deadband: { type: 'absolute', value: 10 },
            }),
            // Mixer torque spans 0..300: 10 % is 30 N.m.
            item('ns=1;s=Mixer.Torque', 'MX-01', 'torque', {
              deadband: { type: 'percent', value: 10 },
            }),
          ],
        },
      ]),
    );
    await eventually(
      () => run.of('spindleSpeed').length > 0 && run.of('torque').length > 0,
      'first values',
    );
    bed.machines.inject('torque-station', 'spindleSpeed', 1_005);
    bed.machines.inject('mixer', 'torque', 120);
    // Many sampling intervals: a change outside the deadband would have arrived by now.
    await sleep(600);
    bed.machines.inject('torque-station', 'spindleSpeed', 1_020);
    bed.machines.inject('mixer', 'torque', 140);
    await eventually(
      () => run.of('spindleSpeed').length >= 2 && run.of('torque').length >= 2,
      'the changes outside the deadbands',
    );
    await sleep(300);
    expect(run.of('spindleSpeed').map((s) => s.value)).toEqual([1_000, 1_020]);
    expect(run.of('torque').map((s) => s.value)).toEqual([100, 140]);
    await run.source.stop();
  });

  it('reports an item the server refuses and keeps reading the others, degraded', async () => {
    const run = await bed.startSource(
      bed.endpoint([
        {
          name: 'mixed',
          publishingIntervalMs: 100,
          items: [
            item('ns=1;s=Mixer.Torque', 'MX-01', 'torque'),
            item('ns=1;s=Mixer.Viscosity', 'MX-01', 'viscosity', { queueSize: 1 }),
          ],
        },
      ]),
    );
    await eventually(() => run.of('torque').length > 0, 'the known item');
    // Values can flow before the source has finished subscribing (and set its state).
    await eventually(() => run.source.state() !== 'down', 'the source to finish connecting');
    expect(run.source.state()).toBe('degraded');
    expect(await metricValue(run.metrics.plcSourceUp, LABELS)).toBe(0.5);
    const refused = run.logs.find((line) => line.msg === 'OPC UA server refused a monitored item');
    expect(refused).toMatchObject({
      level: 'error',
      nodeId: 'ns=1;s=Mixer.Viscosity',
      status: expect.stringContaining('BadNodeIdUnknown'),
    });
    expect(run.of('viscosity')).toEqual([]);
    await run.source.stop();
  });

  describe('recovery', () => {
    let run: SourceUnderTest;

    beforeAll(async () => {
      run = await bed.startSource(
        bed.endpoint([
          {
            name: 'torque-station',
            publishingIntervalMs: 100,
            items: [item('ns=1;s=TorqueStation.Torque', 'TS-01', 'torque')],
          },
          {
            name: 'mixer',
            publishingIntervalMs: 200,
            items: [
              item('ns=1;s=Mixer.SpindleSpeed', 'MX-01', 'spindleSpeed', {
                samplingIntervalMs: 100,
              }),
            ],
          },
        ]),
      );
      await eventually(() => run.source.state() === 'up', 'connected');
    });
    afterAll(() => run.source.stop());

    it('restores the session and every subscription after a server restart, values flowing within 10 s', async () => {
      const restartStarted = Date.now();
      await bed.simulator.restart();
      const restarted = Date.now();
      // Fresh values from the new server process: sampled after it came up.
      const fresh = (tag: string) =>
        run.of(tag).filter((sample) => Date.parse(sample.sourceTime) >= restarted);
      await eventually(
        () => fresh('torque').length > 0 && fresh('spindleSpeed').length > 0,
        'values from both subscriptions after the restart',
        10_000,
      );
      const flowingAgain = Math.max(
        fresh('torque')[0].receivedAt,
        fresh('spindleSpeed')[0].receivedAt,
      );
      expect(flowingAgain - restartStarted).toBeLessThan(10_000);
      await eventually(() => run.source.state() === 'up', 'state up again');
      expect(run.logs.map((line) => line.msg)).toEqual(
        expect.arrayContaining([
          'OPC UA connection lost; reconnecting',
          'OPC UA session and subscriptions restored',
        ]),
      );
      process.stdout.write(
        `OPC UA restart: server back after ${restarted - restartStarted} ms, ` +
          `values flowing ${flowingAgain - restartStarted} ms after the restart began\n`,
      );
    });

    it('reconnects after the server drops every connection, and values flow again', async () => {
      const dropped = Date.now();
      bed.simulator.dropConnections();
      await eventually(
        () => run.source.state() === 'degraded',
        'degraded while reconnecting',
        5_000,
      );
      await eventually(
        () =>
          run.of('torque', dropped).some((sample) => Date.parse(sample.sourceTime) > dropped) &&
          run.source.state() === 'up',
        'values after the drop',
        10_000,
      );
      expect(await metricValue(run.metrics.plcSourceUp, LABELS)).toBe(1);
    });
  });
});
