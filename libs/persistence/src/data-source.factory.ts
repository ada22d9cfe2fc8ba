import { ThreadlineError } from '@threadline/core';
import { DataSource, type DataSourceOptions } from 'typeorm';
import {
  DEFAULT_POOL_SIZE,
  DEFAULT_SQLITE_CACHE_KIB,
  DEFAULT_SQLITE_PATH,
  assertPostgresUrl,
  type DatabaseOptions,
} from './database-options';
import { PERSISTENCE_ENTITIES } from './entities/persistence-entities';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';
import {
  adaptDriverToPostgresColumnTypes,
  rewriteColumnTypesForSqlite,
} from './sqlite-column-types';

/** How long a SQLite statement waits for another connection's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;
/** Serialises migration runs of several processes starting at once (pg_advisory_lock key). */
const MIGRATION_LOCK_KEY = 7_243_917_405;

/**
 * A data source for PostgreSQL (`url` set) or SQLite, with Threadline's entities and the
 * migrations for that driver. It is not connected yet: call `initializeDatabase`.
 */
export function createDataSource(options: DatabaseOptions = {}): DataSource {
  const entities = [...PERSISTENCE_ENTITIES, ...(options.entities ?? [])];
  const shared = {
    entities,
    logging: options.logging ?? false,
    synchronize: false,
    migrationsRun: false,
  };
  if (options.url !== undefined) {
    assertPostgresUrl(options.url, 'url');
    return new DataSource({
      ...shared,
      type: 'postgres',
      url: options.url,
      poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
      connectTimeoutMS: POSTGRES_CONNECT_TIMEOUT_MS,
      migrations: [...POSTGRES_MIGRATIONS, ...(options.migrations ?? [])],
    });
  }
  const database = options.sqlitePath ?? DEFAULT_SQLITE_PATH;
  const cacheKib = options.sqliteCacheKib ?? DEFAULT_SQLITE_CACHE_KIB;
  if (!Number.isInteger(cacheKib) || cacheKib < 0) {
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      `sqliteCacheKib must be a whole number of KiB (0 or more), got ${cacheKib}`,
    );
  }
  return new SqliteDataSource({
    ...shared,
    type: 'better-sqlite3',
    database,
    // WAL: readers and the writer no longer block each other. TypeORM always enables foreign keys.
    enableWAL: database !== ':memory:',
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    // Negative: a size in KiB rather than in pages. The cache is process memory (RSS), and an
    // edge connector's budget is 150 MB (ADR 0011).
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma(`cache_size = -${cacheKib}`);
    },
    migrations: [...SQLITE_MIGRATIONS, ...(options.migrations ?? [])],
  });
}

/**
 * Connects (if needed) and applies pending migrations. On PostgreSQL an advisory lock makes
 * concurrent starts take turns, so each migration runs once. Returns the names applied.
 */
export async function initializeDatabase(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const applied = await withMigrationLock(dataSource, () =>
    dataSource.runMigrations({ transaction: 'each' }),
  );
  return applied.map((migration) => migration.name);
}

async function withMigrationLock<T>(dataSource: DataSource, run: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'postgres') return run();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await run();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** SQLite data source whose entities may declare PostgreSQL column types (see sqlite-column-types). */
class SqliteDataSource extends DataSource {
  constructor(options: DataSourceOptions) {
    super(options);
    adaptDriverToPostgresColumnTypes(this);
  }

  protected override async buildMetadatas(): Promise<void> {
    await super.buildMetadatas();
    rewriteColumnTypesForSqlite(this);
  }
}
