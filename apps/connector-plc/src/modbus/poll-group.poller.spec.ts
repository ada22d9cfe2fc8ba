import { MetricsRegistry, type Logger } from '@threadline/observability';
import type { ModbusRegister, SignalSample } from '../plc-config.types';
import type { ModbusReadRequest } from './modbus.client';
import { ModbusRequestError, type ModbusFailure } from './modbus.errors';
import { PollGroupPoller } from './poll-group.poller';

const NOW = Date.parse('2025-03-01T08:00:00.000Z');

function register(
  tag: string,
  fn: ModbusRegister['function'],
  address: number,
  factor?: number,
): ModbusRegister {
  return {
    assetId: 'TS-01',
    tag,
    function: fn,
    address,
    type: fn === 'coil' ? 'bool' : 'uint16',
    byteOrder: 'big',
    wordOrder: 'big',
    ...(factor === undefined ? {} : { scale: { factor, offset: 0 } }),
  };
}

/** Planned as holding@0+2, holding@10+1, coil@0+1. */
const REGISTERS = [
  register('a', 'holding', 0, 0.1),
  register('b', 'holding', 1),
  register('c', 'holding', 10),
  register('run', 'coil', 0),
];

type Answer = () => Promise<number[]>;

function failure(kind: ModbusFailure): Answer {
  return () => Promise.reject(new ModbusRequestError(kind, kind, { endpoint: 'e', unitId: 3 }));
}

describe('PollGroupPoller', () => {
  let answers: Map<string, Answer>;
  let requests: ModbusReadRequest[];
  let batches: SignalSample[][];
  let metrics: MetricsRegistry;
  let logger: { warn: jest.Mock; info: jest.Mock };
  let poller: PollGroupPoller;

  beforeEach(() => {
    jest.useFakeTimers();
    answers = new Map([
      ['holding@0', () => Promise.resolve([384, 7])],
      ['holding@10', () => Promise.resolve([42])],
      ['coil@0', () => Promise.resolve([1])],
    ]);
    requests = [];
    batches = [];
    metrics = new MetricsRegistry();
    logger = { warn: jest.fn(), info: jest.fn() };
    poller = new PollGroupPoller({
      connector: 'plc-1',
      source: 'modbus/line',
      unit: { unitId: 3, timeoutMs: 50, pollGroups: [] },
      group: { name: 'fast', intervalMs: 100, registers: REGISTERS },
      read: (request) => {
        requests.push(request);
        const answer = answers.get(`${request.function}@${request.address}`);
        if (!answer) throw new Error(`unexpected request ${JSON.stringify(request)}`);
        return answer();
      },
      sink: (samples) => batches.push([...samples]),
      logger: logger as unknown as Logger,
      metrics,
      now: () => NOW,
      onCycle: () => undefined,
    });
  });

  afterEach(async () => {
    await poller.stop();
    jest.useRealTimers();
  });

  const cycle = () => jest.advanceTimersByTimeAsync(100);
  const summary = (batch: SignalSample[] | undefined) =>
    batch?.map((sample) => `${sample.tag}=${String(sample.value)}:${sample.quality}`);
  const overruns = async () => (await metrics.plcPollOverruns.get()).values[0]?.value ?? 0;

  it('reads every planned read with the unit id and timeout and delivers scaled good samples', async () => {
    poller.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(requests).toEqual([
      { unitId: 3, timeoutMs: 50, function: 'holding', address: 0, count: 2 },
      { unitId: 3, timeoutMs: 50, function: 'holding', address: 10, count: 1 },
      { unitId: 3, timeoutMs: 50, function: 'coil', address: 0, count: 1 },
    ]);
    expect(summary(batches[0])).toEqual(['a=38.4:good', 'b=7:good', 'c=42:good', 'run=true:good']);
    expect(batches[0][0]).toMatchObject({
      assetId: 'TS-01',
      sourceTime: '2025-03-01T08:00:00.000Z',
    });
    expect(poller.healthy).toBe(true);
  });

  it('marks only the failed read bad after an exception answer, once, and good again after', async () => {
    poller.start();
    await jest.advanceTimersByTimeAsync(0);
    answers.set('holding@10', failure('exception'));
    await cycle();
    expect(summary(batches[1])).toEqual(['a=38.4:good', 'b=7:good', 'c=42:bad', 'run=true:good']);
    expect(poller.healthy).toBe(false);
    await cycle();
    expect(summary(batches[2])).toEqual(['a=38.4:good', 'b=7:good', 'run=true:good']);
    answers.set('holding@10', () => Promise.resolve([43]));
    await cycle();
    expect(summary(batches[3])).toEqual(['a=38.4:good', 'b=7:good', 'c=43:good', 'run=true:good']);
    expect(poller.healthy).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(expect.anything(), 'Modbus poll group reads again');
  });

  it('abandons the rest of the cycle after a timeout', async () => {
    poller.start();
    await jest.advanceTimersByTimeAsync(0);
    answers.set('holding@0', failure('timeout'));
    requests = [];
    await cycle();
    expect(requests.map((request) => request.address)).toEqual([0]);
    expect(summary(batches[1])).toEqual(['a=38.4:bad', 'b=7:bad', 'c=42:bad', 'run=true:bad']);
  });

  it('reports nothing for registers that were never read', async () => {
    answers.set('holding@0', failure('disconnected'));
    poller.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([]);
    expect(poller.healthy).toBe(false);
    // A lost connection is the source's to log, not each group's.
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('skips and counts ticks while a cycle runs, warning once per streak', async () => {
    let answer: (words: number[]) => void = () => undefined;
    answers.set('holding@0', () => new Promise((resolve) => (answer = resolve)));
    poller.start();
    await jest.advanceTimersByTimeAsync(250);
    expect(requests).toHaveLength(1);
    expect(await overruns()).toBe(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    answer([1, 2]);
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(50);
    expect(
      requests.filter((request) => request.function === 'holding' && request.address === 0),
    ).toHaveLength(2);
    expect(await overruns()).toBe(2);
    answer([1, 2]);
  });

  it('delivers nothing a cycle reads after stop', async () => {
    let answer: (words: number[]) => void = () => undefined;
    answers.set('holding@0', () => new Promise((resolve) => (answer = resolve)));
    poller.start();
    await jest.advanceTimersByTimeAsync(0);
    const stopped = poller.stop();
    answer([1, 2]);
    await stopped;
    await jest.advanceTimersByTimeAsync(500);
    expect(batches).toEqual([]);
    // The reads after the one in flight are not tried.
    expect(requests).toHaveLength(1);
  });
});
