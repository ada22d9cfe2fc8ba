import type { ByteOrder, ModbusFunction, ModbusType } from '../plc-config.types';
import { applyScale, decodeRegister, registerWidth, type RegisterLayout } from './register-decoder';

function layout(
  type: ModbusType,
  byteOrder: ByteOrder,
  wordOrder: ByteOrder,
  address = 0,
  fn: ModbusFunction = 'holding',
): RegisterLayout {
  return { function: fn, address, type, byteOrder, wordOrder };
}

/**
 * Register contents written out by hand from the value's big-endian bytes: ABCD is the value's
 * bytes most significant first; byte order little swaps within a word (BA DC), word order little
 * sends the low word first (CD AB).
 */
const TABLE: Array<[ModbusType, ByteOrder, ByteOrder, number[], number | boolean]> = [
  // int16 -1234 = 0xFB2E; word order does not apply to one register.
  ['int16', 'big', 'big', [0xfb2e], -1234],
  ['int16', 'big', 'little', [0xfb2e], -1234],
  ['int16', 'little', 'big', [0x2efb], -1234],
  ['int16', 'little', 'little', [0x2efb], -1234],
  ['int16', 'big', 'big', [0x8000], -32768],
  ['int16', 'big', 'big', [0x7fff], 32767],
  // uint16 54321 = 0xD431
  ['uint16', 'big', 'big', [0xd431], 54321],
  ['uint16', 'big', 'little', [0xd431], 54321],
  ['uint16', 'little', 'big', [0x31d4], 54321],
  ['uint16', 'little', 'little', [0x31d4], 54321],
  ['uint16', 'big', 'big', [0xffff], 65535],
  // int32 -123456789 = 0xF8A4_32EB
  ['int32', 'big', 'big', [0xf8a4, 0x32eb], -123456789],
  ['int32', 'big', 'little', [0x32eb, 0xf8a4], -123456789],
  ['int32', 'little', 'big', [0xa4f8, 0xeb32], -123456789],
  ['int32', 'little', 'little', [0xeb32, 0xa4f8], -123456789],
  ['int32', 'big', 'big', [0x0001, 0x0000], 65536],
  ['int32', 'big', 'little', [0x0000, 0x0001], 65536],
  // uint32 3000000000 = 0xB2D0_5E00 (above int32: the sign bit must not leak)
  ['uint32', 'big', 'big', [0xb2d0, 0x5e00], 3_000_000_000],
  ['uint32', 'big', 'little', [0x5e00, 0xb2d0], 3_000_000_000],
  ['uint32', 'little', 'big', [0xd0b2, 0x005e], 3_000_000_000],
  ['uint32', 'little', 'little', [0x005e, 0xd0b2], 3_000_000_000],
  // float32 -1234.5 = 0xC49A_5000
  ['float32', 'big', 'big', [0xc49a, 0x5000], -1234.5],
  ['float32', 'big', 'little', [0x5000, 0xc49a], -1234.5],
  ['float32', 'little', 'big', [0x9ac4, 0x0050], -1234.5],
  ['float32', 'little', 'little', [0x0050, 0x9ac4], -1234.5],
  // float32 45.37 = 0x4235_7AE1: read as its 7 significant digits
  ['float32', 'big', 'big', [0x4235, 0x7ae1], 45.37],
  ['float32', 'little', 'little', [0xe17a, 0x3542], 45.37],
  ['float32', 'big', 'big', [0x0000, 0x0000], 0],
  // bool in a register: any non-zero word is true
  ['bool', 'big', 'big', [0x0000], false],
  ['bool', 'big', 'big', [0x0100], true],
  ['bool', 'little', 'big', [0x0001], true],
];

describe('decodeRegister', () => {
  it.each(TABLE)(
    '%s with byte order %s and word order %s decodes %j to %p',
    (type, byteOrder, wordOrder, words, expected) => {
      expect(decodeRegister(words, 0, layout(type, byteOrder, wordOrder))).toBe(expected);
    },
  );

  it('covers every type with every byte and word order', () => {
    const covered = new Set(TABLE.map(([type, byte, word]) => `${type}/${byte}/${word}`));
    for (const type of ['int16', 'uint16', 'int32', 'uint32', 'float32', 'bool'] as const) {
      for (const byte of ['big', 'little'] as const) {
        for (const word of ['big', 'little'] as const) {
          if (type === 'bool' && word === 'little') continue;
          expect(covered).toContain(`${type}/${byte}/${word}`);
        }
      }
    }
  });

  it('reads a value at its offset inside a longer read', () => {
    const words = [0x1111, 0x2222, 0xb2d0, 0x5e00, 0x3333];
    expect(decodeRegister(words, 100, layout('uint32', 'big', 'big', 102))).toBe(3_000_000_000);
    expect(decodeRegister(words, 100, layout('uint16', 'big', 'big', 104))).toBe(0x3333);
  });

  it('refuses a register that lies outside the read', () => {
    expect(() => decodeRegister([1, 2], 10, layout('int32', 'big', 'big', 11))).toThrow(RangeError);
    expect(() => decodeRegister([1, 2], 10, layout('int16', 'big', 'big', 9))).toThrow(RangeError);
  });

  it('reads coils and discrete inputs as booleans, or 0/1 for a numeric type', () => {
    expect(decodeRegister([0, 1, 0], 0, layout('bool', 'big', 'big', 1, 'coil'))).toBe(true);
    expect(decodeRegister([0, 1, 0], 0, layout('bool', 'big', 'big', 2, 'discrete'))).toBe(false);
    expect(decodeRegister([0, 1], 0, layout('uint16', 'big', 'big', 1, 'coil'))).toBe(1);
  });

  it('gives bit functions a width of one whatever the type', () => {
    expect(registerWidth({ function: 'coil', type: 'float32' })).toBe(1);
    expect(registerWidth({ function: 'input', type: 'float32' })).toBe(2);
    expect(registerWidth({ function: 'holding', type: 'int16' })).toBe(1);
  });
});

describe('applyScale', () => {
  it('multiplies by the factor and adds the offset', () => {
    expect(applyScale(384, { scale: { factor: 0.1, offset: 0 } })).toBe(38.4);
    expect(applyScale(120_345, { scale: { factor: 0.01, offset: 0 } })).toBe(1203.45);
    expect(applyScale(1000, { scale: { factor: 0.1, offset: -40 } })).toBe(60);
    // 384 * 0.1 - 40 is -1.599999999999994 in binary floating point.
    expect(applyScale(384, { scale: { factor: 0.1, offset: -40 } })).toBe(-1.6);
    expect(applyScale(-1234, { scale: { factor: 2, offset: 0.5 } })).toBe(-2467.5);
  });

  it('leaves values without a scale and booleans as they are', () => {
    expect(applyScale(17.25, {})).toBe(17.25);
    expect(applyScale(true, { scale: { factor: 10, offset: 1 } })).toBe(true);
  });
});
