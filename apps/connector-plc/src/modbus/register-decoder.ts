import type { ByteOrder, ModbusRegister, ModbusType, TagTarget } from '../plc-config.types';

/** Registers one value of each type occupies (a bit function always reads one bit). */
const REGISTER_WIDTH: Record<ModbusType, number> = {
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  bool: 1,
};

/** What the decoder needs of a configured register. */
export type RegisterLayout = Pick<
  ModbusRegister,
  'function' | 'address' | 'type' | 'byteOrder' | 'wordOrder'
>;

/** How many registers (or bits, for coils and discrete inputs) the value occupies. */
export function registerWidth(register: Pick<ModbusRegister, 'function' | 'type'>): number {
  return isBitFunction(register.function) ? 1 : REGISTER_WIDTH[register.type];
}

export function isBitFunction(fn: ModbusRegister['function']): boolean {
  return fn === 'coil' || fn === 'discrete';
}

/**
 * The value of `register` in the words of a read that started at `readAddress`. Words are 16-bit
 * register values as they came off the wire (big-endian per the Modbus spec); bits of coils and
 * discrete inputs come as 0 or 1. A bit is a boolean for type `bool`, else the number 0 or 1; a
 * register of type `bool` is true when non-zero. float32 is rounded to the 7 significant digits
 * it carries, so 45.37 stored as float32 reads 45.37 and not 45.369998931884766.
 */
export function decodeRegister(
  words: readonly number[],
  readAddress: number,
  register: RegisterLayout,
): number | boolean {
  const offset = register.address - readAddress;
  const width = registerWidth(register);
  if (offset < 0 || offset + width > words.length) {
    throw new RangeError(
      `register ${register.address} (${width} wide) is outside the read at ${readAddress} of ${words.length}`,
    );
  }
  if (isBitFunction(register.function)) {
    const bit = words[offset] !== 0;
    return register.type === 'bool' ? bit : Number(bit);
  }
  const bytes = wireToBigEndian(words.slice(offset, offset + width), register);
  switch (register.type) {
    case 'bool':
      return bytes.readUInt16BE(0) !== 0;
    case 'int16':
      return bytes.readInt16BE(0);
    case 'uint16':
      return bytes.readUInt16BE(0);
    case 'int32':
      return bytes.readInt32BE(0);
    case 'uint32':
      return bytes.readUInt32BE(0);
    case 'float32':
      return roundToSignificant(bytes.readFloatBE(0), 7);
  }
}

/**
 * The value's bytes most significant first: the words in high-word-first order (swapped when the
 * device sends the low word first) and each word's bytes high-byte-first (swapped when the device
 * puts the low byte first).
 */
function wireToBigEndian(
  words: readonly number[],
  order: { byteOrder: ByteOrder; wordOrder: ByteOrder },
): Buffer {
  const ordered = order.wordOrder === 'little' ? [...words].reverse() : words;
  const bytes = Buffer.alloc(ordered.length * 2);
  ordered.forEach((word, index) => {
    if (order.byteOrder === 'little') bytes.writeUInt16LE(word, index * 2);
    else bytes.writeUInt16BE(word, index * 2);
  });
  return bytes;
}

/**
 * `value * factor + offset` for numbers, rounded to 15 significant digits so that binary
 * floating-point noise (384 * 0.1 = 38.400000000000006) does not reach consumers. Booleans pass
 * through unscaled.
 */
export function applyScale(
  value: number | boolean,
  target: Pick<TagTarget, 'scale'>,
): number | boolean {
  if (typeof value === 'boolean' || target.scale === undefined) return value;
  // 12 significant digits: binary noise of the multiplication (384 * 0.1 - 40) goes, data stays.
  return roundToSignificant(value * target.scale.factor + target.scale.offset, 12);
}

function roundToSignificant(value: number, digits: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
