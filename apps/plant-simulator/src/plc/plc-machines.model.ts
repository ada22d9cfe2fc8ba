/**
 * The shop floor behind the simulator's OPC UA and Modbus servers: a torque station and a mixer
 * whose signals move on a clock of their own (deterministic waves, no randomness), so tests know
 * what to expect. Tests and the demo freeze a signal, inject a value (an alarm), or stop a machine.
 */
export type MachineId = 'torque-station' | 'mixer';
export type SignalName = 'torque' | 'temperature' | 'spindleSpeed' | 'running';
export type SignalValue = number | boolean;

interface SignalDefinition {
  /** The value at time t (ms since the model started). */
  wave: (t: number) => SignalValue;
}

const wave = (base: number, amplitude: number, periodMs: number) => (t: number) =>
  Math.round((base + amplitude * Math.sin((2 * Math.PI * t) / periodMs)) * 100) / 100;

const DEFINITIONS: Record<MachineId, Record<SignalName, SignalDefinition>> = {
  'torque-station': {
    torque: { wave: wave(45, 5, 4_000) },
    temperature: { wave: wave(38, 2, 20_000) },
    spindleSpeed: { wave: wave(1_200, 50, 6_000) },
    running: { wave: () => true },
  },
  mixer: {
    torque: { wave: wave(120, 10, 8_000) },
    temperature: { wave: wave(65, 3, 30_000) },
    spindleSpeed: { wave: wave(300, 20, 10_000) },
    running: { wave: () => true },
  },
};

export const MACHINES = Object.keys(DEFINITIONS) as MachineId[];
export const SIGNALS: readonly SignalName[] = ['torque', 'temperature', 'spindleSpeed', 'running'];

export class PlcMachines {
  private readonly started = Date.now();
  /** Values pinned by a test: frozen at their current value, or injected. */
  private readonly pinned = new Map<string, SignalValue>();

  constructor(private readonly now: () => number = Date.now) {}

  read(machine: MachineId, signal: SignalName): SignalValue {
    const pinned = this.pinned.get(key(machine, signal));
    if (pinned !== undefined) return pinned;
    return DEFINITIONS[machine][signal].wave(this.now() - this.started);
  }

  /** Holds a signal at its current value until released. */
  freeze(machine: MachineId, signal: SignalName): void {
    this.pinned.set(key(machine, signal), this.read(machine, signal));
  }

  /** Sets a signal to `value` (an alarm value, a stopped machine) until released. */
  inject(machine: MachineId, signal: SignalName, value: SignalValue): void {
    this.pinned.set(key(machine, signal), value);
  }

  release(machine: MachineId, signal: SignalName): void {
    this.pinned.delete(key(machine, signal));
  }

  releaseAll(): void {
    this.pinned.clear();
  }
}

function key(machine: MachineId, signal: SignalName): string {
  return `${machine}/${signal}`;
}
