import type { ValueTransformer } from 'typeorm';

/**
 * For `bigint` columns: the value is read back as a decimal string on both drivers. PostgreSQL's
 * `pg` returns `bigint` as a string (a JS number loses precision above 2^53) and SQLite returns a
 * number, so the SQLite value is converted to match.
 */
export const bigintAsString: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) =>
    typeof value === 'number' || typeof value === 'bigint' ? String(value) : value,
};
