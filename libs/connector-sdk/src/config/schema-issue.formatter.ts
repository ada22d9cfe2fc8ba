import type { ErrorObject } from 'ajv';
import { pointerToPath } from './config-path';

/** A schema violation in plain words, at a field path. */
export interface SchemaProblem {
  path: (string | number)[];
  rule: string;
  /** Point at the field's key rather than its value (an unknown field). */
  atKey?: boolean;
}

type Params = Record<string, unknown>;

/**
 * Ajv errors to one plain problem each. A failed `oneOf` keeps only the errors of the branches
 * whose type matched (a mapping object with a typo is reported as the typo, not as "must be a
 * string"); when no branch's type matched it becomes one "must be A or B".
 */
export function describeSchemaErrors(errors: readonly ErrorObject[]): SchemaProblem[] {
  const hidden = new Set<ErrorObject>();
  const summaries = new Map<ErrorObject, string>();
  for (const combinator of errors.filter((error) => error.keyword === 'oneOf')) {
    const branches = errors.filter((error) => isInside(error, combinator));
    const typeMismatch = (error: ErrorObject) =>
      error.keyword === 'type' && error.instancePath === combinator.instancePath;
    const matching = branches.filter(
      (error) => !branchMismatched(error, combinator, branches, typeMismatch),
    );
    for (const error of branches) if (!matching.includes(error)) hidden.add(error);
    if (matching.length > 0) hidden.add(combinator);
    else
      summaries.set(
        combinator,
        `must be ${joinTypes(branches.map((error) => String((error.params as Params).type)))}`,
      );
  }
  // A value that breaks both its format and its pattern: the format says it more plainly.
  const formatFailures = new Set(
    errors.filter((error) => error.keyword === 'format').map((error) => error.instancePath),
  );
  for (const error of errors) {
    if (error.keyword === 'pattern' && formatFailures.has(error.instancePath)) hidden.add(error);
  }
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (hidden.has(error)) continue;
    const problem = toProblem(error, summaries.get(error));
    const key = JSON.stringify(problem);
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  return problems;
}

function isInside(error: ErrorObject, combinator: ErrorObject): boolean {
  const at = combinator.instancePath;
  return (
    error.schemaPath.startsWith(`${combinator.schemaPath}/`) &&
    (error.instancePath === at || error.instancePath.startsWith(`${at}/`))
  );
}

/** A branch error is dropped when its branch already failed on the value's type. */
function branchMismatched(
  error: ErrorObject,
  combinator: ErrorObject,
  branches: readonly ErrorObject[],
  typeMismatch: (error: ErrorObject) => boolean,
): boolean {
  const branchPrefix = error.schemaPath.slice(
    0,
    error.schemaPath.indexOf('/', combinator.schemaPath.length + 1) + 1,
  );
  return branches.some((other) => typeMismatch(other) && other.schemaPath.startsWith(branchPrefix));
}

function toProblem(error: ErrorObject, summary: string | undefined): SchemaProblem {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Params;
  if (error.keyword === 'required') {
    return { path: [...path, String(params.missingProperty)], rule: 'is required' };
  }
  if (error.keyword === 'additionalProperties') {
    const field = String(params.additionalProperty);
    return {
      path: [...path, field],
      rule: unknownFieldRule(field, error.parentSchema),
      atKey: true,
    };
  }
  return { path, rule: summary ?? describe(error, params) };
}

function describe(error: ErrorObject, params: Params): string {
  switch (error.keyword) {
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `must be '${String(params.allowedValue)}'`;
    case 'type':
      return `must be ${joinTypes([String(params.type)])}`;
    case 'pattern': {
      const description: unknown = error.parentSchema?.description;
      const hint = typeof description === 'string' ? ` (${description.replace(/\.$/, '')})` : '';
      return `must match the pattern ${String(params.pattern)}${hint}`;
    }
    case 'format':
      return `must be a valid ${String(params.format)}`;
    case 'minLength':
      return Number(params.limit) === 1
        ? 'must not be empty'
        : `must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long`;
    case 'minItems':
      return `must have at least ${String(params.limit)} item(s)`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${String(params.limit)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** Names the known fields, or the one the author most likely meant. */
function unknownFieldRule(field: string, parentSchema: unknown): string {
  const properties = (parentSchema as Params | undefined)?.properties;
  const known =
    typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
  const close = known.find((name) => editDistance(name.toLowerCase(), field.toLowerCase()) <= 2);
  if (close !== undefined) return `is not a known field (did you mean '${close}'?)`;
  return known.length === 0
    ? 'is not a known field'
    : `is not a known field (known: ${known.join(', ')})`;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length];
}

function joinTypes(types: readonly string[]): string {
  const named = [...new Set(types.flatMap((type) => type.split(',')))].map(
    (type) => `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`,
  );
  return named.length <= 1
    ? (named[0] ?? 'valid')
    : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`;
}
