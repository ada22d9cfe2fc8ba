import { createAjv } from './schema.compiler';

describe('minLength / maxLength', () => {
  const ajv = createAjv();
  const atMostThree = ajv.compile({ type: 'string', maxLength: 3 });
  const atLeastThree = ajv.compile({ type: 'string', minLength: 3 });

  it('counts characters, not UTF-16 units: an emoji is one character', () => {
    expect(atMostThree('😀😀😀')).toBe(true);
    expect(atMostThree('😀😀😀😀')).toBe(false);
    expect(atLeastThree('😀😀')).toBe(false);
    expect(atLeastThree('😀😀😀')).toBe(true);
  });

  it('decides plain strings at the boundary', () => {
    expect(atMostThree('abc')).toBe(true);
    expect(atMostThree('abcd')).toBe(false);
    expect(atLeastThree('ab')).toBe(false);
    expect(atLeastThree('abc')).toBe(true);
  });

  it('reports the limit like ajv does', () => {
    atMostThree('abcd');
    expect(atMostThree.errors).toEqual([
      expect.objectContaining({ keyword: 'maxLength', params: { limit: 3 } }),
    ]);
    atLeastThree('');
    expect(atLeastThree.errors).toEqual([
      expect.objectContaining({ keyword: 'minLength', params: { limit: 3 } }),
    ]);
  });
});
