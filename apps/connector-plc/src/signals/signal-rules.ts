import type { AlarmRule, DowntimeRule, SignalSample } from '../plc-config.types';

/** A fact a rule found in the signals, with the time it happened at the source. */
export type RuleFinding =
  | { kind: 'alarm.raised'; rule: AlarmRule; at: string; value: number }
  | { kind: 'alarm.cleared'; rule: AlarmRule; at: string }
  | { kind: 'downtime.started'; rule: DowntimeRule; at: string }
  | { kind: 'downtime.ended'; rule: DowntimeRule; at: string; durationSeconds: number };

type Phase = 'normal' | 'pending' | 'active';

/**
 * Threshold with hysteresis and a minimum duration: raised once the value has been beyond the
 * limit for `minDurationMs` (without a sample back inside), cleared once it is back inside the
 * limit by `hysteresis`. Time passes by samples and by `tick` (report by exception sends no
 * samples while a value holds still).
 */
export class AlarmEvaluator {
  private phase: Phase = 'normal';
  private since = 0;
  private value = 0;

  constructor(readonly rule: AlarmRule) {}

  onSample(sample: SignalSample): RuleFinding[] {
    if (typeof sample.value !== 'number' || sample.quality === 'bad') return [];
    const at = Date.parse(sample.sourceTime);
    this.value = sample.value;
    if (this.beyond(sample.value)) {
      if (this.phase === 'normal') {
        this.phase = 'pending';
        this.since = at;
      }
      return this.tick(at);
    }
    if (this.phase === 'pending') this.phase = 'normal';
    if (this.phase === 'active' && this.backInside(sample.value)) {
      this.phase = 'normal';
      return [{ kind: 'alarm.cleared', rule: this.rule, at: sample.sourceTime }];
    }
    return [];
  }

  tick(now: number): RuleFinding[] {
    if (this.phase !== 'pending' || now - this.since < this.rule.minDurationMs) return [];
    this.phase = 'active';
    const at = new Date(this.since + this.rule.minDurationMs).toISOString();
    return [{ kind: 'alarm.raised', rule: this.rule, at, value: this.value }];
  }

  private beyond(value: number): boolean {
    const { above, below } = this.rule;
    return (above !== undefined && value > above) || (below !== undefined && value < below);
  }

  private backInside(value: number): boolean {
    const { above, below, hysteresis } = this.rule;
    if (above !== undefined && value > above - hysteresis) return false;
    if (below !== undefined && value < below + hysteresis) return false;
    return true;
  }
}

/** Downtime: the running signal false for `afterSeconds` starts it; true again ends it. */
export class DowntimeEvaluator {
  private phase: Phase = 'normal';
  private since = 0;

  constructor(readonly rule: DowntimeRule) {}

  onSample(sample: SignalSample): RuleFinding[] {
    if (sample.quality === 'bad') return [];
    const at = Date.parse(sample.sourceTime);
    const running = sample.value === true || sample.value === 1;
    if (!running) {
      if (this.phase === 'normal') {
        this.phase = 'pending';
        this.since = at;
      }
      return this.tick(at);
    }
    const wasActive = this.phase === 'active';
    this.phase = 'normal';
    if (!wasActive) return [];
    const durationSeconds = Math.max(0, Math.round((at - this.since) / 1000));
    return [{ kind: 'downtime.ended', rule: this.rule, at: sample.sourceTime, durationSeconds }];
  }

  tick(now: number): RuleFinding[] {
    if (this.phase !== 'pending' || now - this.since < this.rule.afterSeconds * 1000) return [];
    this.phase = 'active';
    // Downtime started when the line stopped, not when the rule noticed.
    return [{ kind: 'downtime.started', rule: this.rule, at: new Date(this.since).toISOString() }];
  }
}

/** Every rule of a connector, fed by its samples. */
export class SignalRules {
  private readonly evaluators: (AlarmEvaluator | DowntimeEvaluator)[];

  constructor(rules: { alarms: AlarmRule[]; downtime: DowntimeRule[] }) {
    this.evaluators = [
      ...rules.alarms.map((rule) => new AlarmEvaluator(rule)),
      ...rules.downtime.map((rule) => new DowntimeEvaluator(rule)),
    ];
  }

  onSamples(samples: readonly SignalSample[]): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const sample of samples) {
      for (const evaluator of this.evaluators) {
        const { assetId, tag } = evaluator.rule;
        if (assetId === sample.assetId && tag === sample.tag) {
          findings.push(...evaluator.onSample(sample));
        }
      }
    }
    return findings;
  }

  tick(now: number): RuleFinding[] {
    return this.evaluators.flatMap((evaluator) => evaluator.tick(now));
  }
}
