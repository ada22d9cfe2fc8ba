import { ThreadlineError } from '@threadline/core';
import type { EntitySchema, MigrationInterface } from 'typeorm';

/** Any entity class; TypeORM reads its decorators. */
export type EntityClass = abstract new (...args: never[]) => unknown;
export type MigrationClass = new () => MigrationInterface;

/**
 * Where Threadline keeps its state. With `url` it is PostgreSQL (distributed mode); otherwise a
 * SQLite file (embedded mode). The schema only ever changes through migrations, which is why
 * `synchronize` cannot be set.
 */
export interface DatabaseOptions {
  /** `postgres://user:password@host:5432/database` */
  url?: string;
  /** SQLite file when no `url` is given; default ./data/threadline.sqlite, ':memory:' allowed. */
  sqlitePath?: string;
  /** PostgreSQL connection pool size (default 10). */
  poolSize?: number;
  /**
   * SQLite page cache of the connection in KiB (default 2048, SQLite's own default; the
   * better-sqlite3 build would use 16,000). Pages not cached are read from the OS file cache.
   */
  sqliteCacheKib?: number;
  /** Entities of other libraries, registered beside PERSISTENCE_ENTITIES. */
  entities?: ReadonlyArray<EntitySchema | EntityClass>;
  /** Migrations of other libraries for the same driver; TypeORM runs all in timestamp order. */
  migrations?: readonly MigrationClass[];
  /** Log every SQL statement (development only). */
  logging?: boolean;
  synchronize?: never;
}

export const DEFAULT_SQLITE_PATH = './data/threadline.sqlite';
export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_SQLITE_CACHE_KIB = 2048;

/**
 * DATABASE_URL selects PostgreSQL (pool size DATABASE_POOL_SIZE); without it Threadline uses
 * SQLite at THREADLINE_SQLITE_PATH or ./data/threadline.sqlite. The folder of the SQLite file is
 * created when the data source connects.
 */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  const url = nonEmpty(env.DATABASE_URL);
  if (url !== undefined) {
    assertPostgresUrl(url, 'DATABASE_URL');
    return { url, poolSize: parsePoolSize(env.DATABASE_POOL_SIZE) };
  }
  return { sqlitePath: nonEmpty(env.THREADLINE_SQLITE_PATH) ?? DEFAULT_SQLITE_PATH };
}

/** The URL with its password replaced by `***`, safe for logs and error messages. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not parseable as a URL: still hide anything between '://' and '@'.
    return url.replace(/\/\/[^/@\s]*@/, '//***@');
  }
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

/** One line naming the database, for startup logs: never carries a password. */
export function describeDatabase(options: DatabaseOptions): string {
  return options.url !== undefined
    ? `postgres ${redactUrl(options.url)}`
    : `sqlite ${options.sqlitePath ?? DEFAULT_SQLITE_PATH}`;
}

export function assertPostgresUrl(url: string, field: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw configurationError(`${field} must be a URL like postgres://user@host:5432/database`);
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw configurationError(
      `${field} must use the postgres:// or postgresql:// scheme, got '${protocol}' (${redactUrl(url)})`,
    );
  }
}

function parsePoolSize(raw: string | undefined): number {
  const value = nonEmpty(raw);
  if (value === undefined) return DEFAULT_POOL_SIZE;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw configurationError(`DATABASE_POOL_SIZE must be a positive integer, got '${value}'`);
  }
  return Number(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function configurationError(message: string): ThreadlineError {
  return new ThreadlineError('CONFIGURATION_INVALID', message);
}
