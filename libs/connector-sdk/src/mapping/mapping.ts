import jsonata from 'jsonata';
import { PermanentError, ThreadlineError } from '@threadline/core';

/** A JSONata mapping parsed once at start-up and evaluated for every message. */
export interface CompiledMapping {
  /** Where the mapping came from (a file path or `connector/source`), used in every error. */
  readonly name: string;
  /**
   * Runs the mapping. The result is plain JSON (JSONata's internal sequence markers and
   * `undefined` fields removed); `undefined` when the mapping matched nothing.
   * Throws PermanentError when evaluation fails: the same input would fail the same way again.
   */
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
}

/** The fields JSONata sets on its errors (syntax and evaluation alike). */
interface JsonataErrorShape {
  code?: unknown;
  position?: unknown;
  token?: unknown;
  message?: unknown;
}

/**
 * Parses `source` once. A syntax error is a configuration error naming the mapping, the JSONata
 * error code and the line and column, so the connector refuses to start rather than fail later.
 */
export function compileMapping(source: string, name: string): CompiledMapping {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source);
  } catch (error) {
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      `mapping ${name}: ${describeJsonataError(error, source)}`,
      { cause: error },
    );
  }
  return {
    name,
    evaluate: async (input, bindings) => {
      let result: unknown;
      try {
        result = await expression.evaluate(input, bindings);
      } catch (error) {
        throw new PermanentError(`mapping ${name} failed: ${describeJsonataError(error, source)}`, {
          cause: error,
        });
      }
      return toPlainJson(result);
    },
  };
}

/** `S0211 at line 2, column 9 (near "}"): The symbol ...` from a JSONata error. */
export function describeJsonataError(error: unknown, source: string): string {
  const shape: JsonataErrorShape = typeof error === 'object' && error !== null ? error : {};
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  const code = typeof shape.code === 'string' ? `${shape.code} ` : '';
  const where =
    typeof shape.position === 'number' ? `at ${lineAndColumn(source, shape.position)} ` : '';
  const near =
    typeof shape.token === 'string' || typeof shape.token === 'number'
      ? `(near ${JSON.stringify(String(shape.token))})`
      : '';
  const prefix = `${code}${where}${near}`.trim();
  return prefix === '' ? message : `${prefix}: ${message}`;
}

/**
 * JSONata positions count characters from the start and point just past the offending token;
 * people read line and column (both from 1).
 */
function lineAndColumn(source: string, position: number): string {
  const before = source.slice(0, Math.max(0, position));
  const lines = before.split('\n');
  const column = lines[lines.length - 1].length;
  return `line ${lines.length}, column ${Math.max(1, column)}`;
}

/** Drops JSONata's non-enumerable sequence flags, functions and `undefined` fields. */
function toPlainJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}
