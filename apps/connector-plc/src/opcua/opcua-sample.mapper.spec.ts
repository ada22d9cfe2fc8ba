import type { OpcUaItem } from '../plc-config.types';
import { qualityOf, toSignalSample, type OpcUaDataChange } from './opcua-sample.mapper';

const ITEM: OpcUaItem = {
  nodeId: 'ns=1;s=Mixer.Temperature',
  assetId: 'MX-01',
  tag: 'temperature',
  samplingIntervalMs: 100,
  queueSize: 5,
};
const RECEIVED = new Date('2026-03-01T10:00:05.000Z');

function change(overrides: Partial<OpcUaDataChange>): OpcUaDataChange {
  return {
    value: 1,
    sourceTimestamp: new Date('2026-03-01T10:00:00.000Z'),
    serverTimestamp: new Date('2026-03-01T10:00:01.000Z'),
    quality: 'good',
    ...overrides,
  };
}

describe('toSignalSample', () => {
  it('names the value after the item and times it by the source timestamp', () => {
    expect(toSignalSample(ITEM, change({ value: 64.5 }), RECEIVED)).toEqual({
      assetId: 'MX-01',
      tag: 'temperature',
      value: 64.5,
      sourceTime: '2026-03-01T10:00:00.000Z',
      quality: 'good',
    });
  });

  it('falls back to the server timestamp, then to the arrival time', () => {
    const noSource = change({ sourceTimestamp: null });
    expect(toSignalSample(ITEM, noSource, RECEIVED)?.sourceTime).toBe('2026-03-01T10:00:01.000Z');
    const none = change({ sourceTimestamp: null, serverTimestamp: null });
    expect(toSignalSample(ITEM, none, RECEIVED)?.sourceTime).toBe('2026-03-01T10:00:05.000Z');
  });

  it('scales numbers (value * factor + offset) without floating-point noise', () => {
    const scaled = { ...ITEM, scale: { factor: 0.1, offset: -40 } };
    expect(toSignalSample(scaled, change({ value: 1000 }), RECEIVED)?.value).toBe(60);
    const tenths = { ...ITEM, scale: { factor: 0.1, offset: 0 } };
    expect(toSignalSample(tenths, change({ value: 384 }), RECEIVED)?.value).toBe(38.4);
    expect(toSignalSample(scaled, change({ value: BigInt(500) }), RECEIVED)?.value).toBe(10);
  });

  it('passes booleans and strings through unscaled, dates as ISO text', () => {
    const scaled = { ...ITEM, scale: { factor: 10, offset: 1 } };
    expect(toSignalSample(scaled, change({ value: false }), RECEIVED)?.value).toBe(false);
    expect(toSignalSample(scaled, change({ value: 'AUTO' }), RECEIVED)?.value).toBe('AUTO');
    const date = new Date('2026-03-01T09:00:00.000Z');
    expect(toSignalSample(scaled, change({ value: date }), RECEIVED)?.value).toBe(
      '2026-03-01T09:00:00.000Z',
    );
  });

  it('carries the quality of the status code', () => {
    expect(toSignalSample(ITEM, change({ quality: 'uncertain' }), RECEIVED)?.quality).toBe(
      'uncertain',
    );
  });

  it('makes no sample of a notification without a usable value', () => {
    for (const value of [null, undefined, [1, 2], { x: 1 }, Number.NaN, Infinity]) {
      expect(toSignalSample(ITEM, change({ value, quality: 'bad' }), RECEIVED)).toBeUndefined();
    }
  });
});

describe('qualityOf', () => {
  it('reads the severity bits of an OPC UA status code', () => {
    expect(qualityOf(0x00000000)).toBe('good'); // Good
    expect(qualityOf(0x00a20000)).toBe('good'); // GoodLocalOverride
    expect(qualityOf(0x40920000)).toBe('uncertain'); // UncertainLastUsableValue
    expect(qualityOf(0x80340000)).toBe('bad'); // BadNodeIdUnknown
    expect(qualityOf(0x808a0000)).toBe('bad'); // BadWaitingForInitialData
  });
});
