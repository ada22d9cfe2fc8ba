import { createAjv } from './schema.compiler';
import { findDuplicate } from './unique-items.keyword';

describe('findDuplicate', () => {
  it.each([
    ['no items', []],
    ['one item', ['a']],
    ['distinct strings', ['a', 'b', 'c']],
    ['a string and a number that print alike', ['1', 1]],
    ['objects with different values', [{ a: 1 }, { a: 2 }]],
  ])('finds none among %s', (_name, items) => {
    expect(findDuplicate(items)).toBeUndefined();
  });

  it('reports the later and the earlier index, like ajv', () => {
    expect(findDuplicate(['a', 'b', 'a'])).toEqual([2, 0]);
  });

  it('compares objects by value, regardless of key order', () => {
    expect(findDuplicate([{ a: 1, b: [1, 2] }, 'x', { b: [1, 2], a: 1 }])).toEqual([2, 0]);
  });

  it('finds repeats in large arrays of scalars and of objects', () => {
    const ids = Array.from({ length: 5000 }, (_value, index) => `SN-${index}`);
    expect(findDuplicate(ids)).toBeUndefined();
    expect(findDuplicate([...ids, 'SN-42'])).toEqual([5000, 42]);
    const lines = Array.from({ length: 40 }, (_value, index) => ({ lotId: `LOT-${index}` }));
    expect(findDuplicate([...lines, { lotId: 'LOT-7' }])).toEqual([40, 7]);
  });

  it('checks 10,000 distinct serial numbers in linear time', () => {
    const serials = Array.from({ length: 10_000 }, (_value, index) => `SN-${index}`);
    const started = process.hrtime.bigint();
    for (let round = 0; round < 10; round++) findDuplicate(serials);
    // Pairwise comparison would be 50 million comparisons per round: far beyond this bound.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });
});

describe('uniqueItems keyword', () => {
  const ajv = createAjv();
  const validate = ajv.compile({ type: 'array', uniqueItems: true, items: { type: 'string' } });
  const notRequired = ajv.compile({ type: 'array', uniqueItems: false });

  it('accepts distinct items and rejects repeats with ajv-style params', () => {
    expect(validate(['a', 'b'])).toBe(true);
    expect(validate(['a', 'b', 'a'])).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({ keyword: 'uniqueItems', params: { i: 2, j: 0 } }),
    ]);
  });

  it('does nothing when uniqueItems is false', () => {
    expect(notRequired(['a', 'a'])).toBe(true);
  });
});
