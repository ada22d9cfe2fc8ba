import type { ModbusFunction, ModbusRegister, ModbusType } from '../plc-config.types';
import { planReads } from './poll-plan';

function register(
  fn: ModbusFunction,
  address: number,
  type: ModbusType = 'uint16',
): ModbusRegister {
  return {
    function: fn,
    address,
    type,
    byteOrder: 'big',
    wordOrder: 'big',
    assetId: 'A',
    tag: `${fn}-${address}`,
  };
}

/** Each read as `function@address+count: tags`, for compact expectations. */
function summary(registers: ModbusRegister[], options?: Parameters<typeof planReads>[1]) {
  return planReads(registers, options).map(
    (read) =>
      `${read.function}@${read.address}+${read.count}: ${read.registers.map((r) => r.address).join(',')}`,
  );
}

describe('planReads', () => {
  it('joins contiguous registers of one function into one read, 32-bit values counting two', () => {
    const registers = [
      register('holding', 2, 'int16'),
      register('holding', 0, 'float32'),
      register('holding', 3, 'uint32'),
    ];
    expect(summary(registers)).toEqual(['holding@0+5: 0,2,3']);
  });

  it('keeps functions apart even at the same addresses', () => {
    const registers = [
      register('coil', 0, 'bool'),
      register('holding', 0),
      register('input', 0),
      register('discrete', 0, 'bool'),
      register('input', 1),
    ];
    expect(summary(registers)).toEqual([
      'holding@0+1: 0',
      'input@0+2: 0,1',
      'coil@0+1: 0',
      'discrete@0+1: 0',
    ]);
  });

  it('splits at a gap unless maxGap allows spanning it', () => {
    const registers = [
      register('holding', 0, 'int32'),
      register('holding', 5),
      register('holding', 6),
    ];
    expect(summary(registers)).toEqual(['holding@0+2: 0', 'holding@5+2: 5,6']);
    expect(summary(registers, { maxGap: 3 })).toEqual(['holding@0+7: 0,5,6']);
    expect(summary(registers, { maxGap: 2 })).toEqual(['holding@0+2: 0', 'holding@5+2: 5,6']);
  });

  it('serves overlapping registers (the same word read two ways) from one read', () => {
    const registers = [register('holding', 10, 'int32'), register('holding', 11, 'uint16')];
    expect(summary(registers)).toEqual(['holding@10+2: 10,11']);
  });

  it('starts a new read at the protocol span: 125 registers, 2000 coils', () => {
    const holding = Array.from({ length: 130 }, (_, index) => register('holding', index));
    const coils = Array.from({ length: 2001 }, (_, index) => register('coil', index, 'bool'));
    const reads = planReads([...holding, ...coils]);
    expect(reads.map((read) => [read.function, read.address, read.count])).toEqual([
      ['holding', 0, 125],
      ['holding', 125, 5],
      ['coil', 0, 2000],
      ['coil', 2000, 1],
    ]);
  });

  it('never splits a 32-bit value across reads at the span limit', () => {
    const registers = [register('holding', 0, 'uint16'), register('holding', 1, 'float32')];
    expect(summary(registers, { maxSpan: { holding: 2 } })).toEqual([
      'holding@0+1: 0',
      'holding@1+2: 1',
    ]);
  });

  it('refuses addresses outside the 16-bit address space', () => {
    expect(() => planReads([register('holding', 65535, 'uint32')])).toThrow(RangeError);
    expect(() => planReads([register('holding', -1)])).toThrow(RangeError);
    expect(planReads([register('holding', 65535)])).toHaveLength(1);
  });

  it('plans nothing for no registers', () => {
    expect(planReads([])).toEqual([]);
  });
});
