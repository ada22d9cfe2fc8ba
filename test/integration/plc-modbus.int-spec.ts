import { ModbusSource } from '../../apps/connector-plc/src/modbus/modbus.source';
import type {
  ByteOrder,
  ModbusFunction,
  ModbusRegister,
  ModbusType,
  ModbusUnit,
  SignalSample,
} from '../../apps/connector-plc/src/plc-config.types';
import {
  startModbusSimulator,
  type ModbusSimulator,
} from '../../apps/plant-simulator/src/modbus/modbus-simulator';
import { PlcMachines } from '../../apps/plant-simulator/src/plc/plc-machines.model';
import { MetricsRegistry, createLogger } from '@threadline/observability';
import { eventually } from '@threadline/testing';
import { metricValue } from '../support/metric-value';

/** A sample and when the sink got it. */
type Received = SignalSample & { receivedAt: number };

interface RegisterSpec {
  fn?: ModbusFunction;
  byteOrder?: ByteOrder;
  wordOrder?: ByteOrder;
  factor?: number;
}

function register(
  assetId: string,
  tag: string,
  address: number,
  type: ModbusType,
  spec: RegisterSpec = {},
): ModbusRegister {
  return {
    assetId,
    tag,
    address,
    type,
    function: spec.fn ?? 'holding',
    byteOrder: spec.byteOrder ?? 'big',
    wordOrder: spec.wordOrder ?? 'big',
    ...(spec.factor === undefined ? {} : { scale: { factor: spec.factor, offset: 0 } }),
  };
}

/** The documented live block of a unit: torque, temperature (x10), spindle speed (x100), running. */
function machineRegisters(assetId: string): ModbusRegister[] {
  return [
    register(assetId, 'torque', 0, 'float32'),
    register(assetId, 'temperature', 2, 'int16', { factor: 0.1 }),
    register(assetId, 'spindleSpeed', 3, 'uint32', { factor: 0.01 }),
    register(assetId, 'torqueWordSwapped', 5, 'float32', { wordOrder: 'little' }),
    register(assetId, 'runningWord', 7, 'uint16'),
    register(assetId, 'running', 0, 'bool', { fn: 'coil' }),
    register(assetId, 'runningInput', 0, 'bool', { fn: 'discrete' }),
    register(assetId, 'temperatureInput', 2, 'int16', { fn: 'input', factor: 0.1 }),
  ];
}

function unit(
  unitId: number,
  registers: ModbusRegister[],
  intervalMs = 100,
  timeoutMs = 300,
): ModbusUnit {
  return { unitId, timeoutMs, pollGroups: [{ name: `unit-${unitId}`, intervalMs, registers }] };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('Modbus source against the simulator over real TCP', () => {
  const machines = new PlcMachines();
  let simulator: ModbusSimulator;
  let source: ModbusSource | undefined;
  let metrics: MetricsRegistry;
  let samples: Received[];
  let logs: Array<{ level: string; msg: string }>;

  beforeAll(async () => {
    simulator = await startModbusSimulator({ port: 0, machines });
  });

  afterAll(() => simulator?.close());

  beforeEach(() => {
    metrics = new MetricsRegistry();
    samples = [];
    logs = [];
  });

  afterEach(async () => {
    await source?.stop();
    source = undefined;
    simulator.unresponsiveUnits.clear();
    simulator.responseDelayMs.clear();
    machines.releaseAll();
  });

  async function startSource(units: ModbusUnit[]): Promise<ModbusSource> {
    const logger = createLogger({
      service: 'connector-plc-test',
      level: 'debug',
      destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
    });
    source = new ModbusSource({
      connector: 'plc-line-1',
      endpoint: { name: 'line-1', host: '127.0.0.1', port: simulator.port, units },
      logger,
      metrics,
      reconnect: { initialDelayMs: 100, maxDelayMs: 400 },
    });
    await source.start((batch) => {
      const receivedAt = Date.now();
      for (const sample of batch) samples.push({ ...sample, receivedAt });
    });
    return source;
  }

  const of = (assetId: string, tag: string, since = 0) =>
    samples.filter((s) => s.assetId === assetId && s.tag === tag && s.receivedAt >= since);
  const good = (assetId: string, tag: string, since = 0) =>
    of(assetId, tag, since).filter((s) => s.quality === 'good');
  const latest = (assetId: string, tag: string) => of(assetId, tag).at(-1);
  const labels = { connector: 'plc-line-1', source: 'modbus/line-1' };

  it('delivers both units as samples with their asset, tag and scaled value', async () => {
    machines.inject('torque-station', 'torque', 47.25);
    machines.inject('torque-station', 'temperature', 38.4);
    machines.inject('torque-station', 'spindleSpeed', 1234.56);
    machines.inject('mixer', 'torque', 118.5);
    machines.inject('mixer', 'temperature', 66.1);
    machines.inject('mixer', 'spindleSpeed', 305.25);
    machines.inject('mixer', 'running', false);
    const started = Date.now();
    await startSource([unit(1, machineRegisters('TS-01')), unit(2, machineRegisters('MX-01'))]);

    await eventually(
      () => good('TS-01', 'runningInput').length > 0 && good('MX-01', 'runningInput').length > 0,
      'samples from both units',
    );
    const expected: Record<string, Record<string, number | boolean>> = {
      'TS-01': { torque: 47.25, temperature: 38.4, spindleSpeed: 1234.56, running: true },
      'MX-01': { torque: 118.5, temperature: 66.1, spindleSpeed: 305.25, running: false },
    };
    for (const [assetId, values] of Object.entries(expected)) {
      expect(latest(assetId, 'torque')?.value).toBe(values.torque);
      expect(latest(assetId, 'torqueWordSwapped')?.value).toBe(values.torque);
      expect(latest(assetId, 'temperature')?.value).toBe(values.temperature);
      expect(latest(assetId, 'temperatureInput')?.value).toBe(values.temperature);
      expect(latest(assetId, 'spindleSpeed')?.value).toBe(values.spindleSpeed);
      expect(latest(assetId, 'running')?.value).toBe(values.running);
      expect(latest(assetId, 'runningInput')?.value).toBe(values.running);
      expect(latest(assetId, 'runningWord')?.value).toBe(values.running ? 1 : 0);
    }
    const sample = latest('TS-01', 'torque')!;
    expect(sample.quality).toBe('good');
    expect(Date.parse(sample.sourceTime)).toBeGreaterThanOrEqual(started);
    expect(Date.parse(sample.sourceTime)).toBeLessThanOrEqual(sample.receivedAt);
    expect(source!.state()).toBe('up');
    expect(await metricValue(metrics.plcSourceUp, labels)).toBe(1);
    expect(await metricValue(metrics.plcSamples, labels)).toBeGreaterThanOrEqual(16);
  });

  it('follows the machine: an injected alarm value arrives on the next poll', async () => {
    machines.inject('mixer', 'temperature', 65);
    await startSource([unit(2, machineRegisters('MX-01'))]);
    await eventually(() => latest('MX-01', 'temperature')?.value === 65, 'the normal temperature');
    machines.inject('mixer', 'temperature', 92.7);
    await eventually(() => latest('MX-01', 'temperature')?.value === 92.7, 'the alarm temperature');
  });

  it('decodes the test pattern: every type in every byte and word order, over the wire', async () => {
    simulator.setRegisters(1, 200, [0x8000, 0xffff, 0x7fff]);
    const table: Array<[number, ModbusType, ByteOrder, ByteOrder, number]> = [
      [100, 'int16', 'big', 'big', -1234],
      [101, 'int16', 'little', 'big', -1234],
      [102, 'uint16', 'big', 'big', 54321],
      [103, 'uint16', 'little', 'big', 54321],
      [104, 'int32', 'big', 'big', -123456789],
      [106, 'int32', 'big', 'little', -123456789],
      [108, 'int32', 'little', 'big', -123456789],
      [110, 'int32', 'little', 'little', -123456789],
      [112, 'uint32', 'big', 'big', 3_000_000_000],
      [114, 'uint32', 'big', 'little', 3_000_000_000],
      [116, 'uint32', 'little', 'big', 3_000_000_000],
      [118, 'uint32', 'little', 'little', 3_000_000_000],
      [120, 'float32', 'big', 'big', -1234.5],
      [122, 'float32', 'big', 'little', -1234.5],
      [124, 'float32', 'little', 'big', -1234.5],
      [126, 'float32', 'little', 'little', -1234.5],
      [200, 'int16', 'big', 'big', -32768],
      [201, 'uint16', 'big', 'big', 65535],
      [202, 'int16', 'big', 'big', 32767],
    ];
    const registers = table.map(([address, type, byteOrder, wordOrder]) =>
      register('PATTERN', `${address}`, address, type, { byteOrder, wordOrder }),
    );
    await startSource([unit(1, registers, 200)]);
    await eventually(() => of('PATTERN', '202').length > 0, 'one pattern cycle');
    for (const [address, , , , expected] of table) {
      expect({ address, value: latest('PATTERN', `${address}`)?.value }).toEqual({
        address,
        value: expected,
      });
    }
  });

  it('keeps polling a unit at its interval while another unit times out', async () => {
    await startSource([unit(1, machineRegisters('TS-01')), unit(2, machineRegisters('MX-01'))]);
    await eventually(() => good('MX-01', 'torque').length > 0, 'the mixer answering first');

    simulator.unresponsiveUnits.add(2);
    const since = Date.now();
    await sleep(1_500);

    // The mixer's signal turned bad once, carrying its last good value (a read answered just
    // before the unit went quiet may still land first), and nothing followed.
    const mixer = of('MX-01', 'torque');
    const firstBad = mixer.findIndex((s) => s.quality === 'bad');
    expect(mixer.slice(firstBad).map((s) => s.quality)).toEqual(['bad']);
    expect(mixer[firstBad].value).toBe(mixer[firstBad - 1].value);
    expect(of('MX-01', 'torque', since).filter((s) => s.quality === 'good').length).toBeLessThan(2);
    expect(source!.state()).toBe('degraded');
    expect(await metricValue(metrics.plcSourceUp, labels)).toBe(0.5);

    // Unit 1 kept its 100 ms cadence: a stall behind unit 2 would open gaps of 300 ms or more.
    const arrivals = good('TS-01', 'torque', since).map((s) => s.receivedAt);
    expect(arrivals.length).toBeGreaterThanOrEqual(11);
    const gaps = arrivals.slice(1).map((at, index) => at - arrivals[index]);
    expect(Math.max(...gaps)).toBeLessThan(250);
    expect(of('TS-01', 'torque', since).every((s) => s.quality === 'good')).toBe(true);

    simulator.unresponsiveUnits.delete(2);
    await eventually(() => source!.state() === 'up', 'the mixer answering again');
    expect(good('MX-01', 'torque', since).length).toBeGreaterThan(0);
  });

  it('reports a cycle that overruns its interval and skips ticks instead of queueing them', async () => {
    simulator.responseDelayMs.set(1, 350);
    const registers = [register('TS-01', 'torque', 0, 'float32')];
    await startSource([unit(1, registers, 100, 2_000)]);
    const since = Date.now();
    await sleep(2_000);

    // About 2000 / 350 cycles ran; queued ticks would have made about 20.
    const cycles = good('TS-01', 'torque', since).length;
    expect(cycles).toBeGreaterThanOrEqual(3);
    expect(cycles).toBeLessThanOrEqual(7);
    expect(await metricValue(metrics.plcPollOverruns, labels)).toBeGreaterThanOrEqual(10);
    const overranLogs = logs.filter((line) => line.msg.includes('overran its interval'));
    expect(overranLogs.map((line) => line.level)).toEqual(['warn']);

    simulator.responseDelayMs.delete(1);
    await eventually(
      () => logs.some((line) => line.msg.includes('keep their interval again')),
      'cycles within the interval again',
    );
    // No backlog of skipped cycles runs now: the cadence is simply 100 ms again.
    const recovered = Date.now();
    await sleep(1_000);
    const after = good('TS-01', 'torque', recovered).length;
    expect(after).toBeGreaterThanOrEqual(7);
    expect(after).toBeLessThanOrEqual(12);
  });

  it('reconnects after the connections are dropped and after a server restart', async () => {
    await startSource([unit(1, machineRegisters('TS-01'))]);
    await eventually(() => good('TS-01', 'torque').length > 0, 'first samples');

    const dropped = Date.now();
    simulator.dropConnections();
    await eventually(
      () => logs.some((line) => line.msg.includes('connection lost')),
      'the lost connection noticed',
    );
    await eventually(() => good('TS-01', 'torque', dropped + 50).length > 0, 'samples again');

    const restarting = simulator.restart(800);
    await eventually(() => source!.state() === 'down', 'down while the server is away');
    expect(await metricValue(metrics.plcSourceUp, labels)).toBe(0);
    await restarting;
    const restarted = Date.now();
    await eventually(() => good('TS-01', 'torque', restarted).length > 0, 'samples after restart');
    await eventually(() => source!.state() === 'up', 'up again');
    expect(await metricValue(metrics.plcSourceUp, labels)).toBe(1);
    // While the server was away the signal was reported bad once, with its last good value.
    const outage = of('TS-01', 'torque').filter((s) => s.quality === 'bad');
    expect(outage.length).toBeGreaterThanOrEqual(1);
    expect(logs.filter((line) => line.msg === 'Modbus endpoint connected').length).toBe(3);
  });

  it('starts against an endpoint that is down and connects once it is up', async () => {
    await simulator.close();
    await startSource([unit(1, machineRegisters('TS-01'))]);
    expect(source!.state()).toBe('down');
    await sleep(300);
    expect(samples).toEqual([]);
    await simulator.restart();
    await eventually(() => good('TS-01', 'torque').length > 0, 'samples once the server is up');
    expect(source!.state()).toBe('up');
  });

  it('stops at once with a request pending on a unit that does not answer', async () => {
    simulator.unresponsiveUnits.add(2);
    await startSource([
      unit(1, machineRegisters('TS-01')),
      unit(2, machineRegisters('MX-01'), 100, 10_000),
    ]);
    await eventually(() => good('TS-01', 'torque').length > 0, 'unit 1 samples');
    const stopping = Date.now();
    await source!.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
    expect(source!.state()).toBe('down');
    expect(await metricValue(metrics.plcSourceUp, labels)).toBe(0);
    const count = samples.length;
    await sleep(300);
    expect(samples.length).toBe(count);
  });
});
