import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * SQLite has one connection per process: a second transaction opened on it while one is running
 * would silently join the first. Every transaction on a SQLite data source therefore queues
 * behind the previous one; PostgreSQL transactions run concurrently from the pool.
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

function isSqlite(dataSource: DataSource): boolean {
  return dataSource.options.type === 'better-sqlite3';
}

export async function withTransaction<T>(
  dataSource: DataSource,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  if (!isSqlite(dataSource)) return runTransaction(dataSource, work);
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => runTransaction(dataSource, work));
  sqliteQueues.set(dataSource, current);
  return current;
}

async function runTransaction<T>(
  dataSource: DataSource,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    const result = await work(runner);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release().catch(() => undefined);
  }
}

/** Runs `work` inside a savepoint; undoes only its writes when it fails or asks to. */
export async function withSavepoint<T>(
  manager: EntityManager,
  name: string,
  work: () => Promise<{ keep: boolean; value: T }>,
): Promise<T> {
  await manager.query(`SAVEPOINT ${name}`);
  let outcome: { keep: boolean; value: T };
  try {
    outcome = await work();
  } catch (error) {
    await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
    await manager.query(`RELEASE SAVEPOINT ${name}`);
    throw error;
  }
  if (!outcome.keep) await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
  await manager.query(`RELEASE SAVEPOINT ${name}`);
  return outcome.value;
}
