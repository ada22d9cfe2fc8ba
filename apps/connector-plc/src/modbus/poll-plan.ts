import type { ModbusFunction, ModbusRegister } from '../plc-config.types';
import { registerWidth } from './register-decoder';

/** One Modbus request of a poll cycle and the configured registers its answer holds. */
export interface PlannedRead {
  function: ModbusFunction;
  address: number;
  /** Registers (or bits) requested. */
  count: number;
  registers: ModbusRegister[];
}

/**
 * The most one request may ask for, per the Modbus application protocol: 125 registers
 * (function codes 3 and 4) or 2000 bits (1 and 2).
 */
export const MAX_READ_SPAN: Readonly<Record<ModbusFunction, number>> = {
  holding: 125,
  input: 125,
  coil: 2000,
  discrete: 2000,
};

export interface PollPlanOptions {
  /**
   * Unconfigured registers a read may span to join two values (default 0: only contiguous or
   * overlapping values share a read, since a device may refuse addresses it does not map).
   */
  maxGap?: number;
  /** Lower spans than the protocol's, for devices that answer less per request. */
  maxSpan?: Partial<Record<ModbusFunction, number>>;
}

const FUNCTION_ORDER: readonly ModbusFunction[] = ['holding', 'input', 'coil', 'discrete'];
const ADDRESS_SPACE = 0x10000;

/**
 * Coalesces a poll group's registers into as few reads as the rules allow: per function, in
 * address order, a register joins the current read when it starts no more than `maxGap` past its
 * end and the read stays within the span limit; otherwise it starts a new read.
 */
export function planReads(
  registers: readonly ModbusRegister[],
  options: PollPlanOptions = {},
): PlannedRead[] {
  const maxGap = options.maxGap ?? 0;
  const reads: PlannedRead[] = [];
  for (const fn of FUNCTION_ORDER) {
    const maxSpan = options.maxSpan?.[fn] ?? MAX_READ_SPAN[fn];
    const ofFunction = registers
      .filter((register) => register.function === fn)
      .sort((left, right) => left.address - right.address);
    let current: PlannedRead | undefined;
    for (const register of ofFunction) {
      const end = register.address + registerWidth(register);
      if (register.address < 0 || end > ADDRESS_SPACE) {
        throw new RangeError(`${fn} register ${register.address} is outside 0-65535`);
      }
      if (current && fits(current, register.address, end, maxGap, maxSpan)) {
        current.count = Math.max(current.count, end - current.address);
        current.registers.push(register);
        continue;
      }
      current = {
        function: fn,
        address: register.address,
        count: end - register.address,
        registers: [register],
      };
      reads.push(current);
    }
  }
  return reads;
}

function fits(read: PlannedRead, start: number, end: number, maxGap: number, maxSpan: number) {
  const readEnd = read.address + read.count;
  return start <= readEnd + maxGap && Math.max(end, readEnd) - read.address <= maxSpan;
}
