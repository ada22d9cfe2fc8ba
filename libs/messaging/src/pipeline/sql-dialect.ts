import type { EntityManager } from 'typeorm';

/** The two databases Threadline runs on, and the few places their SQL differs. */
export type Dialect = 'postgres' | 'sqlite';

export function dialectOf(manager: EntityManager): Dialect {
  const type = manager.connection.options.type;
  if (type === 'postgres') return 'postgres';
  if (type === 'better-sqlite3') return 'sqlite';
  throw new Error(`unsupported database type '${type}'`);
}

/** Positional parameter n (1-based). */
export function param(dialect: Dialect, n: number): string {
  return dialect === 'postgres' ? `$${n}` : '?';
}

export function params(dialect: Dialect, from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => param(dialect, from + i)).join(', ');
}

const valuesCache = new Map<string, string>();

/** `($1, $2), ($3, $4)` for `rows` rows of `columns` values; cached, built once per shape. */
export function valuesList(dialect: Dialect, rows: number, columns: number): string {
  const key = `${dialect}:${rows}:${columns}`;
  let values = valuesCache.get(key);
  if (values === undefined) {
    values = Array.from(
      { length: rows },
      (_, i) => `(${params(dialect, i * columns + 1, columns)})`,
    ).join(', ');
    if (valuesCache.size < 1_000) valuesCache.set(key, values);
  }
  return values;
}

/** A timestamp as the driver binds it (better-sqlite3 cannot bind Date objects). */
export function timestampValue(dialect: Dialect, date: Date): Date | string {
  return dialect === 'postgres' ? date : date.toISOString().replace('T', ' ').replace('Z', '');
}
