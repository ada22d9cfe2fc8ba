import type { Logger, MetricsRegistry } from '@threadline/observability';
import type {
  ModbusPollGroup,
  ModbusRegister,
  ModbusUnit,
  SampleSink,
  SignalSample,
} from '../plc-config.types';
import type { ModbusReadRequest } from './modbus.client';
import { ModbusRequestError } from './modbus.errors';
import { planReads, type PlannedRead } from './poll-plan';
import { applyScale, decodeRegister } from './register-decoder';

export interface PollGroupPollerOptions {
  connector: string;
  /** The endpoint's name (the `source` metric label). */
  source: string;
  unit: ModbusUnit;
  group: ModbusPollGroup;
  read: (request: ModbusReadRequest) => Promise<number[]>;
  sink: SampleSink;
  logger: Logger;
  metrics?: MetricsRegistry;
  now: () => number;
  /** Called after every cycle (the source recomputes its state). */
  onCycle: () => void;
}

type LastValue = { value: SignalSample['value']; quality: SignalSample['quality'] };

/**
 * Polls one poll group of one unit on its own timer. A cycle reads the group's planned reads in
 * turn; after a timeout or a lost connection the rest of the cycle is not tried (the unit would
 * not answer them either), after an exception answer the other reads still are. A tick that finds
 * the previous cycle still running is skipped and counted as an overrun: cycles never queue.
 *
 * Quality: a value read is a `good` sample stamped with the read's completion time. When a read
 * fails, each of its registers that was good is reported once as `bad` with its last good value
 * (registers never read report nothing); the next good read reports it good again.
 */
export class PollGroupPoller {
  private readonly plan: PlannedRead[];
  private readonly last = new Map<ModbusRegister, LastValue>();
  private readonly labels: { connector: string; source: string };
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private overrunning = false;
  private failing = false;
  private failureLogged = false;
  private stopped = false;

  constructor(private readonly options: PollGroupPollerOptions) {
    this.plan = planReads(options.group.registers);
    this.labels = { connector: options.connector, source: options.source };
  }

  /** Whether the last cycle read everything. */
  get healthy(): boolean {
    return !this.failing;
  }

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.group.intervalMs);
  }

  /** Stops the timer and waits for a running cycle to end; what it still reads is not reported. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private tick(): void {
    if (this.inFlight) {
      this.overrun();
      return;
    }
    this.inFlight = this.cycle().finally(() => {
      this.inFlight = undefined;
    });
  }

  private overrun(): void {
    this.options.metrics?.plcPollOverruns.inc(this.labels);
    if (this.overrunning) return;
    this.overrunning = true;
    this.options.logger.warn(
      { ...this.where(), intervalMs: this.options.group.intervalMs },
      'Modbus poll cycle overran its interval; skipping cycles until it keeps up',
    );
  }

  private async cycle(): Promise<void> {
    const started = this.options.now();
    const samples: SignalSample[] = [];
    let failure: unknown;
    for (const read of this.plan) {
      if (this.stopped) return;
      if (failure !== undefined && abandonsCycle(failure)) {
        samples.push(...this.markBad(read));
        continue;
      }
      try {
        const words = await this.options.read(this.request(read));
        samples.push(...this.decode(read, words));
      } catch (error) {
        failure ??= error;
        samples.push(...this.markBad(read));
      }
    }
    this.report(samples, failure, this.options.now() - started);
  }

  private request(read: PlannedRead): ModbusReadRequest {
    const { unitId, timeoutMs } = this.options.unit;
    return { unitId, timeoutMs, function: read.function, address: read.address, count: read.count };
  }

  private decode(read: PlannedRead, words: number[]): SignalSample[] {
    const sourceTime = new Date(this.options.now()).toISOString();
    const decoded = read.registers.map((register) => ({
      register,
      value: applyScale(decodeRegister(words, read.address, register), register),
    }));
    return decoded.map(({ register, value }) => {
      this.last.set(register, { value, quality: 'good' });
      return { assetId: register.assetId, tag: register.tag, value, sourceTime, quality: 'good' };
    });
  }

  private markBad(read: PlannedRead): SignalSample[] {
    const sourceTime = new Date(this.options.now()).toISOString();
    const samples: SignalSample[] = [];
    for (const register of read.registers) {
      const last = this.last.get(register);
      if (last?.quality !== 'good') continue;
      this.last.set(register, { value: last.value, quality: 'bad' });
      samples.push({
        assetId: register.assetId,
        tag: register.tag,
        value: last.value,
        sourceTime,
        quality: 'bad',
      });
    }
    return samples;
  }

  private report(samples: SignalSample[], failure: unknown, durationMs: number): void {
    if (this.stopped) return;
    if (samples.length > 0) this.options.sink(samples);
    const good = samples.filter((sample) => sample.quality === 'good').length;
    if (good > 0) this.options.metrics?.plcSamples.inc(this.labels, good);
    this.noteFailure(failure);
    if (this.overrunning && durationMs <= this.options.group.intervalMs) {
      this.overrunning = false;
      this.options.logger.info(this.where(), 'Modbus poll cycles keep their interval again');
    }
    this.options.onCycle();
  }

  private noteFailure(failure: unknown): void {
    if (failure === undefined) {
      if (this.failureLogged)
        this.options.logger.info(this.where(), 'Modbus poll group reads again');
      this.failing = false;
      this.failureLogged = false;
      return;
    }
    this.failing = true;
    // A lost connection is logged once by the source, not once per group.
    const disconnected =
      failure instanceof ModbusRequestError && failure.failure === 'disconnected';
    if (this.failureLogged || disconnected) return;
    this.failureLogged = true;
    this.options.logger.warn({ ...this.where(), err: failure }, 'Modbus poll group read failed');
  }

  private where(): { unitId: number; pollGroup: string } {
    return { unitId: this.options.unit.unitId, pollGroup: this.options.group.name };
  }
}

/** A timeout or a lost connection ends the cycle; an exception answer (or a bad answer) does not. */
function abandonsCycle(failure: unknown): boolean {
  return failure instanceof ModbusRequestError && failure.failure !== 'exception';
}
