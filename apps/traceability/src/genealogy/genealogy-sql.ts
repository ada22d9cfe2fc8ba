import { dialectOf, param, timestampValue, type Dialect } from '@threadline/messaging';
import type { EntityManager } from 'typeorm';

/** The genealogy's writes in one transaction, in the dialect of its database. */
export class GenealogySql {
  readonly dialect: Dialect;

  constructor(readonly manager: EntityManager) {
    this.dialect = dialectOf(manager);
  }

  query<T = unknown>(sql: string, parameters: unknown[] = []): Promise<T> {
    return this.manager.query<T>(sql, parameters);
  }

  /** `$1, $2 ...` (or `?`) for `count` parameters from `from`. */
  p(n: number): string {
    return param(this.dialect, n);
  }

  ps(from: number, count: number): string {
    return Array.from({ length: count }, (_, i) => this.p(from + i)).join(', ');
  }

  time(value: string | Date): Date | string {
    return timestampValue(this.dialect, typeof value === 'string' ? new Date(value) : value);
  }

  json(value: unknown): unknown {
    return value === undefined || value === null ? null : JSON.stringify(value);
  }

  /** Rows written by the last INSERT/UPDATE: node-pg answers `[rows, count]` for writes. */
  static rowsOf<T>(result: unknown): T[] {
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) {
      return result[0] as T[];
    }
    return (Array.isArray(result) ? result : []) as T[];
  }
}
