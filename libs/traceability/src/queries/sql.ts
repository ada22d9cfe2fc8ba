import { dialectOf, param, type Dialect } from '@threadline/messaging';
import type { EntityManager } from 'typeorm';

/** What the genealogy queries run on: the data source's manager or a transaction's. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

export function dialectOfManager(manager: EntityManager): Dialect {
  return dialectOf(manager);
}

/**
 * `column` is one of a list bound as a single parameter: an array on PostgreSQL (`= ANY`), a JSON
 * array on SQLite (`json_each`), so a frontier of any size is one statement with one parameter.
 */
export function inList(dialect: Dialect, column: string, n: number, type: 'int' | 'text'): string {
  return dialect === 'postgres'
    ? `${column} = ANY(${param(dialect, n)}::${type}[])`
    : `${column} IN (SELECT value FROM json_each(${param(dialect, n)}))`;
}

export function listValue(dialect: Dialect, values: readonly (number | string)[]): unknown {
  return dialect === 'postgres' ? values : JSON.stringify(values);
}

/** A timestamp column as RFC 3339 UTC: PostgreSQL gives a Date, SQLite UTC text. */
export function isoTime(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new TypeError(`not a timestamp: ${typeof value}`);
  }
  const text = String(value);
  return new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`).toISOString();
}

/** A JSON column: an object on PostgreSQL (jsonb), text on SQLite. */
export function jsonValue<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function quantityOf(value: unknown, uom: unknown): { value: number; uom: string } | null {
  return value === null || value === undefined || uom === null || uom === undefined
    ? null
    : { value: Number(value), uom: typeof uom === 'string' ? uom : JSON.stringify(uom) };
}
