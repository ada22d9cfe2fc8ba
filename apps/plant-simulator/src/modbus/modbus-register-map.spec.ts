import { TEST_PATTERN, liveRegisters, testPatternWords } from './modbus-register-map';

describe('Modbus register map', () => {
  it('lays the test pattern out at 100-127 with the documented words', () => {
    const words = testPatternWords();
    const hex = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, index) =>
        (words.get(from + index) ?? -1).toString(16).padStart(4, '0'),
      ).join(' ');
    expect(hex(100, 103)).toBe('fb2e 2efb d431 31d4');
    expect(hex(104, 111)).toBe('f8a4 32eb 32eb f8a4 a4f8 eb32 eb32 a4f8');
    expect(hex(112, 119)).toBe('b2d0 5e00 5e00 b2d0 d0b2 005e 005e d0b2');
    expect(hex(120, 127)).toBe('c49a 5000 5000 c49a 9ac4 0050 0050 9ac4');
    expect(words.size).toBe(28);
    expect(TEST_PATTERN.map((entry) => entry.address)).toEqual([
      100, 101, 102, 103, 104, 106, 108, 110, 112, 114, 116, 118, 120, 122, 124, 126,
    ]);
  });

  it('encodes a machine into registers 0-7', () => {
    const values = { torque: 45.37, temperature: 38.4, spindleSpeed: 1234.56, running: true };
    const words = liveRegisters((signal) => values[signal]);
    expect(words.map((word) => word.toString(16).padStart(4, '0')).join(' ')).toBe(
      // float32 45.37 = 0x42357AE1; 384 = 0x0180; 123456 = 0x0001_E240; then word-swapped torque
      '4235 7ae1 0180 0001 e240 7ae1 4235 0001',
    );
  });

  it('clamps values beyond a type and encodes a stopped machine as 0', () => {
    const values = { torque: 0, temperature: 5000, spindleSpeed: -3, running: false };
    const words = liveRegisters((signal) => values[signal]);
    expect(words.slice(2)).toEqual([0x7fff, 0, 0, 0, 0, 0]);
  });
});
