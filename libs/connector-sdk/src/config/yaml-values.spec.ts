import fc from 'fast-check';
import { isScalar, parseDocument, visit } from 'yaml';
import { readYamlValues } from './yaml-values';

/** What the `yaml` package makes of a text (the reference): its values, or 'error'. */
function withYaml(text: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) return 'error';
  try {
    return document.toJS();
  } catch {
    return 'error'; // an alias without its anchor, or one that expands too far
  }
}

/** A mapping key that is empty or null, the one place the two readers differ (see below). */
function hasNullKey(text: string): boolean {
  let found = false;
  visit(parseDocument(text), {
    Pair(_, pair) {
      if (pair.key === null || (isScalar(pair.key) && pair.key.value === null)) found = true;
    },
  });
  return found;
}

function read(text: string): unknown {
  const result = readYamlValues(text);
  return 'problem' in result ? 'error' : result.values;
}

/** Plain scalars where YAML schemas disagree: 1.1 against 1.2, JSON against core, and edges. */
const SCALARS = [
  ...['1_000', '014', '0o14', '0O14', '0x1F', '0X1f', '0x_1F', '+0x1F', '-0x1F', '0b101', '0777'],
  ...['08', '00', '+12', '-0', '.5', '-.5', '+.5', '0.', '1.e5', '.e5', '1e3', '1E3', '1.0E+3'],
  ...['1.5e-3', '1,000', '1__0', '0o', '0x', '1e', '.', '.inf', '-.Inf', '+.inf', '.NaN'],
  ...['Infinity', '~', 'null', 'Null', 'NULL', 'nULL', '', 'true', 'True', 'TRUE', 'tRUE'],
  ...['yes', 'no', 'on', 'off', 'y', 'n', '2024-01-01', '2024-01-01T10:00:00Z', '12:30'],
  ...['1:20:30', "'quoted'", '"a\\tb"', '"\\u00e9"', '!!str 12', '!!int "12"', '&a 5'],
  ...['[1, -.5, 0o7]', '{a: 1, b: ~}', '|\n  x\n  y\n', '>\n  x\n  y\n', 'ns=1;s=Bench.Value1'],
  // A mapping may not start on its parent key's line, after an anchor or a tag either.
  ...[
    '&x b:',
    '&0 0:',
    '!!str b:',
    '! a:',
    'http://h/p?a=1&b=2',
    "a & '-' & b",
    '"a & !b"',
    'x != y',
    '[a]',
    '{[a]: 1}',
  ],
];

describe('readYamlValues', () => {
  it.each(SCALARS)('reads the value %j as the yaml package does (YAML 1.2 core)', (scalar) => {
    expect(read(`v: ${scalar}`)).toEqual(withYaml(`v: ${scalar}`));
  });

  describe('agrees with the yaml package on generated documents', () => {
    const pieces = fc.constantFrom(
      ...['0', '1', '7', '9', '+', '-', '.', '_', 'e', 'E', 'x', 'o', 'b', 'inf', 'nan', 'NaN'],
      ...['true', 'False', 'null', '~', 'a', 'Z', ' ', ':', '#', ',', '[', '{', '"', "'", '&'],
      ...['*', '!'],
    );
    const scalar = fc.array(pieces, { maxLength: 5 }).map((parts) => parts.join(''));
    const key = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/);
    const pairsOf = <T>(item: fc.Arbitrary<T>, minLength = 0) =>
      fc.uniqueArray(fc.tuple(key, item), { minLength, maxLength: 3, selector: ([name]) => name });
    const agrees = (document: fc.Arbitrary<string>) =>
      fc.assert(
        fc.property(document, (text) => {
          fc.pre(!hasNullKey(text));
          expect(read(text)).toEqual(withYaml(text));
        }),
        { numRuns: 2_000 },
      );

    it('flow collections under block keys', () => {
      const flow = fc.letrec<{ node: string }>((tie) => ({
        node: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          scalar,
          fc.array(tie('node'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
          pairsOf(tie('node')).map(
            (pairs) => `{${pairs.map(([name, item]) => `${name}: ${item}`).join(', ')}}`,
          ),
        ),
      })).node;
      agrees(pairsOf(flow, 1).map((pairs) => pairs.map(([name, v]) => `${name}: ${v}`).join('\n')));
    });

    it('nested block mappings and sequences', () => {
      type Block = { scalar: string } | { items: Block[] } | { pairs: [string, Block][] };
      const block = fc.letrec<{ node: Block }>((tie) => ({
        node: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          scalar.map((text) => ({ scalar: text })),
          fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((items) => ({ items })),
          pairsOf(tie('node'), 1).map((pairs) => ({ pairs })),
        ),
      })).node;
      /** The text after a key's colon or a dash: a scalar on the line, a collection below it. */
      const render = (node: Block, indent: number): string => {
        if ('scalar' in node) return ` ${node.scalar}`;
        const pad = ' '.repeat(indent);
        const lines =
          'items' in node
            ? node.items.map((item) => `${pad}-${render(item, indent + 2).replace(/^\n */, ' ')}`)
            : node.pairs.map(([name, item]) => `${pad}${name}:${render(item, indent + 2)}`);
        return `\n${lines.join('\n')}`;
      };
      agrees(pairsOf(block, 1).map((pairs) => render({ pairs }, 0).slice(1)));
    });
  });

  it('differs only on keys no configuration has: null becomes "null" (yaml: "")', () => {
    expect(read('a: [:]')).toEqual({ a: [{ null: null }] });
    expect(withYaml('a: [:]')).toEqual({ a: [{ '': null }] });
  });

  it('keeps anchors and aliases, and maps a __proto__ key to a plain own field', () => {
    const text = 'defaults: &d {samplingIntervalMs: 100}\nitem: *d\n__proto__: {polluted: 1}\n';
    const values = read(text) as Record<string, unknown>;
    expect(values).toEqual(withYaml(text));
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the first syntax error with its line and column, and how many followed', () => {
    const result = readYamlValues('name: a\nlist: [1, 2\nother: {b: 1\n');
    expect(result).toEqual({
      problem: expect.objectContaining({ line: expect.any(Number), column: expect.any(Number) }),
    });
    const problem = (result as { problem: { message: string; line: number } }).problem;
    expect(problem.message).not.toMatch(/at line/);
    expect(problem.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses a duplicate key, as the yaml package with uniqueKeys does', () => {
    const result = readYamlValues('a: 1\nb: 2\na: 3\n');
    expect(result).toEqual({ problem: expect.objectContaining({ line: 3 }) });
    expect((result as { problem: { message: string } }).problem.message).toMatch(/unique/i);
  });

  it('leaves what js-yaml will not read to the yaml package: tags, aliases, several documents, empty', () => {
    expect(read('v: !custom x')).toEqual({ v: 'x' });
    expect(read('v: !!binary aGVsbG8=')).toEqual(withYaml('v: !!binary aGVsbG8='));
    expect(read('a: 1\n---\nb: 2\n')).toBe('error');
    expect(read('')).toBeNull();
    expect(read('# only a comment\n')).toBeNull();
  });

  it('refuses an alias bomb with a problem instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 8; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const result = readYamlValues(levels.join('\n'));
    expect(result).toEqual({ problem: expect.objectContaining({ message: expect.any(String) }) });
  });
});
