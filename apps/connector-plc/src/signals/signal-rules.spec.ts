import type { AlarmRule, DowntimeRule, SignalSample } from '../plc-config.types';
import { AlarmEvaluator, DowntimeEvaluator, SignalRules } from './signal-rules';

const T0 = Date.parse('2026-05-14T08:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const sample = (ms: number, value: number | boolean, tag = 'torque'): SignalSample => ({
  assetId: 'TORQUE-01',
  tag,
  value,
  sourceTime: at(ms),
  quality: 'good',
});

const OVER_TORQUE: AlarmRule = {
  assetId: 'TORQUE-01',
  tag: 'torque',
  alarmCode: 'TORQUE-HIGH',
  severity: 'critical',
  above: 50,
  hysteresis: 2,
  minDurationMs: 1_000,
};

describe('AlarmEvaluator', () => {
  it('raises only after the value stays above the limit for the minimum duration', () => {
    const alarm = new AlarmEvaluator(OVER_TORQUE);
    expect(alarm.onSample(sample(0, 51))).toEqual([]);
    expect(alarm.onSample(sample(500, 52))).toEqual([]);
    expect(alarm.onSample(sample(1_000, 53))).toEqual([
      { kind: 'alarm.raised', rule: OVER_TORQUE, at: at(1_000), value: 53 },
    ]);
    expect(alarm.onSample(sample(1_500, 54))).toEqual([]);
  });

  it('raises on the clock when no new sample arrives (report by exception)', () => {
    const alarm = new AlarmEvaluator(OVER_TORQUE);
    alarm.onSample(sample(0, 51));
    expect(alarm.tick(T0 + 999)).toEqual([]);
    expect(alarm.tick(T0 + 1_200)).toEqual([
      { kind: 'alarm.raised', rule: OVER_TORQUE, at: at(1_000), value: 51 },
    ]);
    expect(alarm.tick(T0 + 5_000)).toEqual([]);
  });

  it('does not raise a spike shorter than the minimum duration', () => {
    const alarm = new AlarmEvaluator(OVER_TORQUE);
    alarm.onSample(sample(0, 60));
    alarm.onSample(sample(400, 45));
    expect(alarm.tick(T0 + 2_000)).toEqual([]);
  });

  it('clears only once the value is back inside the limit by the hysteresis', () => {
    const alarm = new AlarmEvaluator(OVER_TORQUE);
    alarm.onSample(sample(0, 55));
    alarm.tick(T0 + 1_000);
    expect(alarm.onSample(sample(2_000, 49))).toEqual([]);
    expect(alarm.onSample(sample(2_500, 48.5))).toEqual([]);
    expect(alarm.onSample(sample(3_000, 47.9))).toEqual([
      { kind: 'alarm.cleared', rule: OVER_TORQUE, at: at(3_000) },
    ]);
    expect(alarm.onSample(sample(3_500, 40))).toEqual([]);
  });

  it('watches a lower limit too, and ignores bad-quality and non-numeric samples', () => {
    const rule: AlarmRule = { ...OVER_TORQUE, above: undefined, below: 10, minDurationMs: 0 };
    const alarm = new AlarmEvaluator(rule);
    expect(alarm.onSample({ ...sample(0, 5), quality: 'bad' })).toEqual([]);
    expect(alarm.onSample(sample(0, true))).toEqual([]);
    expect(alarm.onSample(sample(10, 9))).toEqual([
      { kind: 'alarm.raised', rule, at: at(10), value: 9 },
    ]);
  });
});

const LINE_STOPPED: DowntimeRule = {
  assetId: 'TORQUE-01',
  tag: 'running',
  afterSeconds: 30,
  reasonCode: 'UNPLANNED-STOP',
};

describe('DowntimeEvaluator', () => {
  it('starts downtime when the machine has stood for afterSeconds, dated when it stopped', () => {
    const downtime = new DowntimeEvaluator(LINE_STOPPED);
    expect(downtime.onSample(sample(0, false, 'running'))).toEqual([]);
    expect(downtime.tick(T0 + 29_000)).toEqual([]);
    expect(downtime.tick(T0 + 30_000)).toEqual([
      { kind: 'downtime.started', rule: LINE_STOPPED, at: at(0) },
    ]);
    expect(downtime.onSample(sample(95_000, true, 'running'))).toEqual([
      { kind: 'downtime.ended', rule: LINE_STOPPED, at: at(95_000), durationSeconds: 95 },
    ]);
  });

  it('ignores a stop shorter than afterSeconds, and reads 0/1 as well as booleans', () => {
    const downtime = new DowntimeEvaluator(LINE_STOPPED);
    downtime.onSample(sample(0, 0, 'running'));
    expect(downtime.onSample(sample(10_000, 1, 'running'))).toEqual([]);
    expect(downtime.tick(T0 + 60_000)).toEqual([]);
  });
});

describe('SignalRules', () => {
  it('feeds each sample only to the rules of its asset and tag', () => {
    const rules = new SignalRules({ alarms: [{ ...OVER_TORQUE, minDurationMs: 0 }], downtime: [] });
    expect(rules.onSamples([{ ...sample(0, 99), assetId: 'MIXER-01' }])).toEqual([]);
    expect(rules.onSamples([sample(0, 99, 'temperature')])).toEqual([]);
    expect(rules.onSamples([sample(0, 99)]).map((finding) => finding.kind)).toEqual([
      'alarm.raised',
    ]);
  });
});
