import type { ChangeKind, SchemaDifference } from './compat.types';

/**
 * Rules for keywords that constrain a single value (type, enum/const, numeric and length bounds,
 * pattern, format) and the catch-all for keywords without a rule of their own. Each compares the
 * keyword in the old and new sub-schema at one place and says how acceptance changed.
 */
export type SchemaNode = Record<string, unknown>;
type KeywordRule = (older: SchemaNode, newer: SchemaNode, path: string) => SchemaDifference[];

const BOUNDS: ReadonlyArray<{ keyword: string; limit: 'upper' | 'lower' }> = [
  { keyword: 'maximum', limit: 'upper' },
  { keyword: 'exclusiveMaximum', limit: 'upper' },
  { keyword: 'maxLength', limit: 'upper' },
  { keyword: 'maxItems', limit: 'upper' },
  { keyword: 'maxProperties', limit: 'upper' },
  { keyword: 'minimum', limit: 'lower' },
  { keyword: 'exclusiveMinimum', limit: 'lower' },
  { keyword: 'minLength', limit: 'lower' },
  { keyword: 'minItems', limit: 'lower' },
  { keyword: 'minProperties', limit: 'lower' },
];

const STRING_RULES = [
  { keyword: 'pattern', changed: 'pattern-changed', removed: 'pattern-removed' },
  { keyword: 'format', changed: 'format-changed', removed: 'format-removed' },
] as const;

/** Keywords that never change which documents are accepted. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentMediaType',
  'contentEncoding',
]);

/** Keywords compared by a dedicated rule here or by the structural walk in schema-diff.ts. */
export const STRUCTURAL_KEYWORDS = [
  '$ref',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'uniqueItems',
  'anyOf',
  'oneOf',
  'allOf',
] as const;

const RULED_KEYWORDS = new Set<string>([
  'type',
  'enum',
  'const',
  ...BOUNDS.map((bound) => bound.keyword),
  ...STRING_RULES.map((rule) => rule.keyword),
  ...STRUCTURAL_KEYWORDS,
]);

export const compareType: KeywordRule = (older, newer, path) => {
  const before = typeSet(older.type);
  const after = typeSet(newer.type);
  if (before === undefined) {
    if (after === undefined) return [];
    return [change(path, 'type-narrowed', `type restricted to ${after.join(' | ')}`)];
  }
  if (after === undefined) {
    return [change(path, 'type-widened', `type restriction ${before.join(' | ')} removed`)];
  }
  const transition = `from ${before.join(' | ')} to ${after.join(' | ')}`;
  const changes: SchemaDifference[] = [];
  if (before.some((type) => !coversType(after, type))) {
    changes.push(change(path, 'type-narrowed', `type narrowed ${transition}`));
  }
  if (after.some((type) => !coversType(before, type))) {
    changes.push(change(path, 'type-widened', `type widened ${transition}`));
  }
  return changes;
};

export const compareAllowedValues: KeywordRule = (older, newer, path) => {
  const before = allowedValues(older);
  const after = allowedValues(newer);
  if (before === undefined) {
    if (after === undefined) return [];
    return [change(path, 'enum-narrowed', `values restricted to ${after.map(show).join(', ')}`)];
  }
  if (after === undefined) return [change(path, 'enum-widened', 'value restriction removed')];
  const beforeKeys = new Set(before.map(canonicalJson));
  const afterKeys = new Set(after.map(canonicalJson));
  return [
    ...before
      .filter((value) => !afterKeys.has(canonicalJson(value)))
      .map((value) => change(path, 'enum-narrowed', `value ${show(value)} removed`)),
    ...after
      .filter((value) => !beforeKeys.has(canonicalJson(value)))
      .map((value) => change(path, 'enum-widened', `value ${show(value)} added`)),
  ];
};

export const compareBounds: KeywordRule = (older, newer, path) => {
  const changes: SchemaDifference[] = [];
  for (const { keyword, limit } of BOUNDS) {
    const before = numberOrUndefined(older[keyword]);
    const after = numberOrUndefined(newer[keyword]);
    if (before === after) continue;
    if (before === undefined) {
      changes.push(change(path, 'bound-narrowed', `${keyword} ${after} added`));
    } else if (after === undefined) {
      changes.push(change(path, 'bound-widened', `${keyword} ${before} removed`));
    } else {
      const narrowed = limit === 'upper' ? after < before : after > before;
      const direction = after < before ? 'lowered' : 'raised';
      const detail = `${keyword} ${direction} from ${before} to ${after}`;
      changes.push(change(path, narrowed ? 'bound-narrowed' : 'bound-widened', detail));
    }
  }
  return changes;
};

export const compareStringRules: KeywordRule = (older, newer, path) => {
  const changes: SchemaDifference[] = [];
  for (const { keyword, changed, removed } of STRING_RULES) {
    const before = older[keyword];
    const after = newer[keyword];
    if (before === after) continue;
    if (after === undefined) {
      changes.push(change(path, removed, `${keyword} ${show(before)} removed`));
    } else if (before === undefined) {
      changes.push(change(path, changed, `${keyword} ${show(after)} added`));
    } else {
      changes.push(
        change(path, changed, `${keyword} changed from ${show(before)} to ${show(after)}`),
      );
    }
  }
  return changes;
};

/**
 * Any other assertion keyword (multipleOf, not, if/then/else, contains, dependentRequired ...):
 * taking it away only accepts more, so that is safe; adding or changing it is treated as breaking
 * because this checker cannot prove it is not.
 */
export const compareOtherKeywords: KeywordRule = (older, newer, path) => {
  const keywords = new Set([...Object.keys(older), ...Object.keys(newer)]);
  const changes: SchemaDifference[] = [];
  for (const keyword of [...keywords].sort()) {
    if (RULED_KEYWORDS.has(keyword) || ANNOTATIONS.has(keyword) || keyword.startsWith('x-')) {
      continue;
    }
    const before = older[keyword];
    const after = newer[keyword];
    if (canonicalJson(before) === canonicalJson(after)) continue;
    if (after === undefined) {
      changes.push(change(path, 'constraint-relaxed', `${keyword} removed`));
    } else {
      const verb = before === undefined ? 'added' : 'changed';
      changes.push(change(path, 'constraint-changed', `${keyword} ${verb}`));
    }
  }
  return changes;
};

export function change(path: string, kind: ChangeKind, detail: string): SchemaDifference {
  return { path, kind, detail };
}

/** JSON with object keys sorted, so that equal values compare equal as strings. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([left], [right]) => (left < right ? -1 : 1)))
      : item,
  );
}

function typeSet(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return undefined;
}

/** `number` accepts every `integer`, so integer -> number widens and number -> integer narrows. */
function coversType(types: string[], type: string): boolean {
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

function allowedValues(node: SchemaNode): unknown[] | undefined {
  if (Array.isArray(node.enum)) return node.enum as unknown[];
  if (Object.hasOwn(node, 'const')) return [node.const];
  return undefined;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
