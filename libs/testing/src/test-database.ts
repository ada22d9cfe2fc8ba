import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The PostgreSQL server integration tests run against (trust auth on the CI/dev machine).
 * Override with THREADLINE_TEST_POSTGRES_URL; its database is only used to create and drop.
 */
export const TEST_POSTGRES_ADMIN_URL =
  process.env.THREADLINE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  /** Drops the database, closing any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the real PostgreSQL server, so test files never share state and
 * can run in parallel. Fails (never skips) when the server is down: integration tests need it.
 */
export async function createTestDatabase(prefix = 'threadline_it'): Promise<TestDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) {
    throw new Error(
      `createTestDatabase: prefix must match ^[a-z_][a-z0-9_]{0,40}$, got '${prefix}'`,
    );
  }
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

async function withAdminClient(run: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}
