import type { MachineId, SignalName, SignalValue } from '../plc/plc-machines.model';

/**
 * The simulator's Modbus register map, the same layout on every unit (README, "Modbus TCP"):
 *
 * Holding registers (FC3) and input registers (FC4) serve the same words:
 * | address | signal       | type    | byte / word order       | encoding                |
 * | 0-1     | torque       | float32 | big / big (ABCD)        | N·m                     |
 * | 2       | temperature  | int16   | big                     | °C × 10                 |
 * | 3-4     | spindleSpeed | uint32  | big / big               | rpm × 100               |
 * | 5-6     | torque       | float32 | big / little (CDAB)     | N·m                     |
 * | 7       | running      | uint16  | big                     | 1 running, 0 stopped    |
 * | 100-127 | test pattern | see TEST_PATTERN: fixed values in every type and order  |
 * | 1000-   | bench load   | uint16, only with `benchRegisters`: see benchRegisterWord |
 * Coils (FC1) and discrete inputs (FC2): 0 = running.
 * Any other address answers exception 2 (illegal data address).
 */

export const UNIT_MACHINES: Readonly<Record<number, MachineId>> = {
  1: 'torque-station',
  2: 'mixer',
};

export type Order = 'big' | 'little';
export type PatternType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32';

export interface PatternEntry {
  address: number;
  type: PatternType;
  byteOrder: Order;
  wordOrder: Order;
  value: number;
}

export const LIVE_REGISTER_COUNT = 8;
export const TEST_PATTERN_START = 100;
export const BENCH_REGISTER_START = 1000;

/**
 * The word of bench register `address` at `nowMs`: the address plus the milliseconds of the
 * clock, modulo 2^16, so two reads at least a millisecond apart (and under 65 s) always differ.
 */
export function benchRegisterWord(address: number, nowMs: number): number {
  return (address + nowMs) & 0xffff;
}

const PATTERN_VALUES: ReadonlyArray<[PatternType, number]> = [
  ['int16', -1234],
  ['uint16', 54321],
  ['int32', -123456789],
  ['uint32', 3_000_000_000],
  ['float32', -1234.5],
];

/**
 * 100 int16 -1234 byte order big, 101 little; 102 uint16 54321 big, 103 little; then for int32
 * -123456789 (104), uint32 3000000000 (112) and float32 -1234.5 (120) four values of two
 * registers each in byte/word order big/big, big/little, little/big, little/little.
 */
export const TEST_PATTERN: readonly PatternEntry[] = buildPattern();

function buildPattern(): PatternEntry[] {
  const entries: PatternEntry[] = [];
  let address = TEST_PATTERN_START;
  for (const [type, value] of PATTERN_VALUES) {
    const wide = widthOf(type) === 2;
    for (const byteOrder of ['big', 'little'] as const) {
      for (const wordOrder of wide ? (['big', 'little'] as const) : (['big'] as const)) {
        entries.push({ address, type, byteOrder, wordOrder, value });
        address += widthOf(type);
      }
    }
  }
  return entries;
}

function widthOf(type: PatternType): number {
  return type === 'int16' || type === 'uint16' ? 1 : 2;
}

/** The words of `entry` as a device with that byte and word order puts them on the wire. */
export function encode(entry: Omit<PatternEntry, 'address'>): number[] {
  const bytes = Buffer.alloc(widthOf(entry.type) * 2);
  switch (entry.type) {
    case 'int16':
      bytes.writeInt16BE(clamp(Math.round(entry.value), -0x8000, 0x7fff));
      break;
    case 'uint16':
      bytes.writeUInt16BE(clamp(Math.round(entry.value), 0, 0xffff));
      break;
    case 'int32':
      bytes.writeInt32BE(clamp(Math.round(entry.value), -0x80000000, 0x7fffffff));
      break;
    case 'uint32':
      bytes.writeUInt32BE(clamp(Math.round(entry.value), 0, 0xffffffff));
      break;
    case 'float32':
      bytes.writeFloatBE(entry.value);
      break;
  }
  const words: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += 2) {
    words.push(entry.byteOrder === 'big' ? bytes.readUInt16BE(offset) : bytes.readUInt16LE(offset));
  }
  return entry.wordOrder === 'little' ? words.reverse() : words;
}

/** The live registers 0-7 of one machine, from one reading of each signal. */
export function liveRegisters(read: (signal: SignalName) => SignalValue): number[] {
  const torque = Number(read('torque'));
  const big = { byteOrder: 'big', wordOrder: 'big' } as const;
  return [
    ...encode({ type: 'float32', value: torque, ...big }),
    ...encode({ type: 'int16', value: Number(read('temperature')) * 10, ...big }),
    ...encode({ type: 'uint32', value: Number(read('spindleSpeed')) * 100, ...big }),
    ...encode({ type: 'float32', value: torque, byteOrder: 'big', wordOrder: 'little' }),
    read('running') ? 1 : 0,
  ];
}

/** The test pattern as address → word. */
export function testPatternWords(): Map<number, number> {
  const words = new Map<number, number>();
  for (const entry of TEST_PATTERN) {
    encode(entry).forEach((word, index) => words.set(entry.address + index, word));
  }
  return words;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
