import type { ErrorObject } from 'ajv';
import type { ValidationIssue } from './schema-registry.types';

type Params = Record<string, unknown>;

const COMBINATORS = new Set(['anyOf', 'oneOf']);

/**
 * Turns ajv's errors into issues that name the field and the rule in plain words, e.g.
 * "/data/severity must be one of: minor, major, critical". Cascades are folded: the branch
 * errors of a failed anyOf/oneOf give way to one summary ("must be A or B" when only the type
 * was wrong), a pattern failure gives way to a format failure on the same value, and an `if`
 * that failed only because its `then` failed is left out (the `then` errors say what is wrong).
 */
export function formatIssues(errors: readonly ErrorObject[]): ValidationIssue[] {
  const combinators = errors.filter((error) => COMBINATORS.has(error.keyword));
  const formatFailures = new Set(
    errors.filter((error) => error.keyword === 'format').map((error) => error.instancePath),
  );
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if' || isBranchOf(error, combinators)) continue;
    // A timestamp breaks both its pattern and its format; the format says it more plainly.
    if (error.keyword === 'pattern' && formatFailures.has(error.instancePath)) continue;
    const issue = toIssue(error, errors);
    const key = `${issue.path}\u0000${issue.keyword}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/** One issue for a problem found outside ajv (unknown type, oversize input ...). */
export function issue(path: string, keyword: string, detail: string): ValidationIssue {
  return { path, keyword, message: `${subjectOf(path)} ${detail}` };
}

function isBranchOf(error: ErrorObject, combinators: readonly ErrorObject[]): boolean {
  return combinators.some(
    (combinator) =>
      combinator !== error && error.schemaPath.startsWith(`${combinator.schemaPath}/`),
  );
}

function toIssue(error: ErrorObject, allErrors: readonly ErrorObject[]): ValidationIssue {
  const path = error.instancePath;
  if (COMBINATORS.has(error.keyword)) {
    const types = branchTypes(error, allErrors);
    if (types !== undefined) return issue(path, error.keyword, `must be ${describeTypes(types)}`);
  }
  return { path, keyword: error.keyword, message: `${subjectOf(path)} ${describe(error)}` };
}

/** When every branch of a failed anyOf/oneOf only disagreed on type, say "must be A or B". */
function branchTypes(
  combinator: ErrorObject,
  errors: readonly ErrorObject[],
): string[] | undefined {
  const branches = errors.filter(
    (error) => error !== combinator && error.schemaPath.startsWith(`${combinator.schemaPath}/`),
  );
  if (branches.length === 0) return undefined;
  if (
    branches.some(
      (error) => error.keyword !== 'type' || error.instancePath !== combinator.instancePath,
    )
  ) {
    return undefined;
  }
  return branches.flatMap((error) => String((error.params as Params).type).split(','));
}

function subjectOf(path: string): string {
  return path === '' ? 'envelope' : path;
}

function describe(error: ErrorObject): string {
  const params = error.params as Params;
  switch (error.keyword) {
    case 'required':
      return `must have required property '${String(params.missingProperty)}'`;
    case 'additionalProperties':
      return `has unknown property '${String(params.additionalProperty)}' (additional properties are not allowed)`;
    case 'unevaluatedProperties':
      return `has unknown property '${String(params.unevaluatedProperty)}' (additional properties are not allowed)`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map(formatScalar).join(', ')}`;
    case 'const':
      return `must be ${formatValue(params.allowedValue)}`;
    case 'type':
      return `must be ${describeTypes(String(params.type).split(','))}`;
    case 'pattern':
      return `must match the pattern ${String(params.pattern)}`;
    case 'format':
      return `must be a valid ${formatName(String(params.format))}`;
    default:
      return describeLimit(error.keyword, params) ?? error.message ?? 'is invalid';
  }
}

function describeLimit(keyword: string, params: Params): string | undefined {
  const limit = Number(params.limit);
  switch (keyword) {
    case 'minLength':
      return `must be at least ${plural(limit, 'character')} long`;
    case 'maxLength':
      return `must be at most ${plural(limit, 'character')} long`;
    case 'minItems':
      return `must have at least ${plural(limit, 'item')}`;
    case 'maxItems':
      return `must have at most ${plural(limit, 'item')}`;
    case 'minProperties':
      return `must have at least ${plural(limit, 'property', 'properties')}`;
    case 'maxProperties':
      return `must have at most ${plural(limit, 'property', 'properties')}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${limit}`;
    case 'multipleOf':
      return `must be a multiple of ${String(params.multipleOf)}`;
    case 'uniqueItems':
      return `must not contain duplicates (items ${String(params.j)} and ${String(params.i)} are equal)`;
    case 'anyOf':
      return 'must match one of the allowed forms';
    case 'oneOf':
      return params.passingSchemas === null
        ? 'must match one of the allowed forms'
        : 'must match exactly one of the allowed forms, but matches several';
    default:
      return undefined;
  }
}

function describeTypes(types: readonly string[]): string {
  const named = [...new Set(types)].map((type) => {
    const article = type === 'null' ? '' : /^[aeiou]/.test(type) ? 'an ' : 'a ';
    return `${article}${type}`;
  });
  if (named.length === 1) return named[0];
  return `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`;
}

function formatName(format: string): string {
  if (format === 'date-time') return 'date-time (RFC 3339 with offset, e.g. 2026-05-14T08:30:00Z)';
  return format;
}

function formatScalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
