import type { ConfigPath } from './config-path';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface InterpolationProblem {
  path: ConfigPath;
  rule: string;
}

/** A variable's value placed into the document, kept so that secrets can be scrubbed. */
export interface Substitution {
  path: ConfigPath;
  variable: string;
  value: string;
}

export interface InterpolationResult {
  document: unknown;
  problems: InterpolationProblem[];
  substitutions: Substitution[];
}

// `$${...}` is a literal `${...}`; otherwise `${NAME}` or `${NAME:-default}` (default when unset
// or empty, as in the shell). A reference without its closing brace runs to the end.
const REFERENCE = /(\$?)\$\{([^}]*)(\}?)/g;
const BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Replaces `${VAR}` in every string value (never in keys) with the variable's value. Every
 * unset variable and every malformed reference is reported, with the field where it is used.
 */
export function interpolateEnvironment(document: unknown, env: Environment): InterpolationResult {
  const result: InterpolationResult = { document: undefined, problems: [], substitutions: [] };
  result.document = visit(document, [], env, result);
  return result;
}

function visit(
  value: unknown,
  path: (string | number)[],
  env: Environment,
  result: InterpolationResult,
): unknown {
  if (typeof value === 'string') return interpolateString(value, path, env, result);
  if (Array.isArray(value))
    return value.map((item, index) => visit(item, [...path, index], env, result));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, visit(item, [...path, key], env, result)]),
    );
  }
  return value;
}

function interpolateString(
  text: string,
  path: (string | number)[],
  env: Environment,
  result: InterpolationResult,
): string {
  return text.replace(REFERENCE, (whole, escape: string, body: string, closing: string) => {
    if (escape === '$') return whole.slice(1);
    const parts = closing === '}' ? BODY.exec(body) : null;
    if (parts === null) {
      result.problems.push({
        path,
        rule: `has a malformed variable reference '\${${body.slice(0, 40)}'; write \${NAME} or \${NAME:-default}`,
      });
      return whole;
    }
    const [, variable, fallback] = parts;
    const value = env[variable];
    if (fallback !== undefined && (value === undefined || value === '')) return fallback;
    if (value === undefined) {
      result.problems.push({
        path,
        rule: `environment variable ${variable} is not set`,
      });
      return whole;
    }
    result.substitutions.push({ path, variable, value });
    return value;
  });
}
