import type { ConfigPath } from './config-path';

/** The annotation keyword that marks a schema property as a secret. */
export const SECRET_KEYWORD = 'x-secret';
export const REDACTED = '***';

/** A path pattern to a secret field; `*` stands for any array index. */
export type SecretPattern = readonly string[];

type SchemaNode = Record<string, unknown>;

/**
 * Every path in documents of `schema` whose value is a secret, found by walking `properties`,
 * `items`, combinators and local `$ref`s. Recursive definitions stop at the first repeat.
 */
export function collectSecretPatterns(schema: SchemaNode): SecretPattern[] {
  const patterns: SecretPattern[] = [];
  walk(schema, [], schema, new Set(), patterns);
  return patterns;
}

function walk(
  node: unknown,
  path: string[],
  root: SchemaNode,
  visiting: Set<unknown>,
  patterns: SecretPattern[],
): void {
  if (!isObject(node) || visiting.has(node)) return;
  if (node[SECRET_KEYWORD] === true) patterns.push(path);
  visiting.add(node);
  if (typeof node.$ref === 'string')
    walk(resolveLocal(root, node.$ref), path, root, visiting, patterns);
  if (isObject(node.properties)) {
    for (const [key, child] of Object.entries(node.properties)) {
      walk(child, [...path, key], root, visiting, patterns);
    }
  }
  if (node.items !== undefined) walk(node.items, [...path, '*'], root, visiting, patterns);
  for (const keyword of ['oneOf', 'anyOf', 'allOf']) {
    const branches = node[keyword];
    if (Array.isArray(branches)) {
      for (const branch of branches) walk(branch, path, root, visiting, patterns);
    }
  }
  visiting.delete(node);
}

/** `#/$defs/Name` inside the same schema; other references cannot hold our secrets. */
function resolveLocal(root: SchemaNode, reference: string): unknown {
  if (!reference.startsWith('#/')) return undefined;
  let current: unknown = root;
  for (const segment of reference.slice(2).split('/')) {
    current = isObject(current) ? current[segment] : undefined;
  }
  return current;
}

export function isSecretPath(path: ConfigPath, patterns: readonly SecretPattern[]): boolean {
  return patterns.some(
    (pattern) =>
      pattern.length === path.length &&
      pattern.every((segment, index) =>
        segment === '*' ? typeof path[index] === 'number' : segment === path[index],
      ),
  );
}

/** Every secret field present in `value`, with its path. */
export function secretFieldsIn(
  value: unknown,
  patterns: readonly SecretPattern[],
  path: (string | number)[] = [],
): { path: (string | number)[]; value: unknown }[] {
  if (value !== undefined && isSecretPath(path, patterns)) return [{ path, value }];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => secretFieldsIn(item, patterns, [...path, index]));
  }
  if (isObject(value)) {
    return Object.entries(value).flatMap(([key, item]) =>
      secretFieldsIn(item, patterns, [...path, key]),
    );
  }
  return [];
}

/** A copy of `value` with every secret field replaced by `***`, safe to log. */
export function redactSecrets<T>(value: T, patterns: readonly SecretPattern[]): T {
  return redactAt(value, [], patterns) as T;
}

function redactAt(
  value: unknown,
  path: (string | number)[],
  patterns: readonly SecretPattern[],
): unknown {
  if (value !== undefined && isSecretPath(path, patterns)) return REDACTED;
  if (Array.isArray(value))
    return value.map((item, index) => redactAt(item, [...path, index], patterns));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactAt(item, [...path, key], patterns)]),
    );
  }
  return value;
}

function isObject(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
