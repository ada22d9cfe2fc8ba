import { ThreadlineError } from '@threadline/core';
import {
  DEFAULT_POOL_SIZE,
  DEFAULT_SQLITE_PATH,
  databaseOptionsFromEnv,
  describeDatabase,
  redactUrl,
} from './database-options';

describe('databaseOptionsFromEnv', () => {
  it('chooses PostgreSQL with the default pool size when DATABASE_URL is set', () => {
    const options = databaseOptionsFromEnv({
      DATABASE_URL: 'postgres://app:pw@db:5432/threadline',
    });
    expect(options).toEqual({
      url: 'postgres://app:pw@db:5432/threadline',
      poolSize: DEFAULT_POOL_SIZE,
    });
  });

  it('reads DATABASE_POOL_SIZE', () => {
    const options = databaseOptionsFromEnv({
      DATABASE_URL: 'postgresql://db/threadline',
      DATABASE_POOL_SIZE: '25',
    });
    expect(options.poolSize).toBe(25);
  });

  it.each(['0', '-3', 'ten', '2.5'])(
    'rejects DATABASE_POOL_SIZE=%s naming the variable',
    (size) => {
      const read = () =>
        databaseOptionsFromEnv({ DATABASE_URL: 'postgres://db/x', DATABASE_POOL_SIZE: size });
      expect(read).toThrow(ThreadlineError);
      expect(read).toThrow(/DATABASE_POOL_SIZE must be a positive integer/);
    },
  );

  it('rejects a DATABASE_URL of another scheme without echoing its password', () => {
    const read = () => databaseOptionsFromEnv({ DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(read).toThrow(/DATABASE_URL must use the postgres:\/\/ or postgresql:\/\/ scheme/);
    expect(read).not.toThrow(/hunter2/);
  });

  it('falls back to SQLite at the default path when DATABASE_URL is unset or blank', () => {
    expect(databaseOptionsFromEnv({})).toEqual({ sqlitePath: DEFAULT_SQLITE_PATH });
    expect(databaseOptionsFromEnv({ DATABASE_URL: '  ' })).toEqual({
      sqlitePath: DEFAULT_SQLITE_PATH,
    });
  });

  it('uses THREADLINE_SQLITE_PATH for the SQLite file', () => {
    expect(databaseOptionsFromEnv({ THREADLINE_SQLITE_PATH: '/var/lib/tl/db.sqlite' })).toEqual({
      sqlitePath: '/var/lib/tl/db.sqlite',
    });
  });
});

describe('redactUrl', () => {
  it('replaces the password and keeps the user, host and database', () => {
    expect(redactUrl('postgres://app:s3cr%40t@db.internal:5432/threadline?sslmode=require')).toBe(
      'postgres://app:***@db.internal:5432/threadline?sslmode=require',
    );
  });

  it('leaves a URL without a password unchanged', () => {
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/test')).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
  });

  it('hides the credentials of a string that is not a valid URL', () => {
    expect(redactUrl('postgres://app:pw@[bad/db')).toBe('postgres://***@[bad/db');
  });
});

describe('describeDatabase', () => {
  it('names the driver and never the password', () => {
    expect(describeDatabase({ url: 'postgres://app:pw@db/threadline' })).toBe(
      'postgres postgres://app:***@db/threadline',
    );
    expect(describeDatabase({})).toBe(`sqlite ${DEFAULT_SQLITE_PATH}`);
  });
});
