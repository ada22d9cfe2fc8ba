import { dialectOf, param, timestampValue, type Dialect } from '@threadline/messaging';
import type { DataSource } from 'typeorm';
import type { KeysetPosition } from './pagination';

/** A WHERE clause built one condition at a time, with its positional parameters. */
export class SqlFilter {
  private readonly conditions: string[] = [];
  readonly values: unknown[] = [];

  constructor(readonly dialect: Dialect) {}

  static for(dataSource: DataSource): SqlFilter {
    return new SqlFilter(dialectOf(dataSource.manager));
  }

  /** `column = value` when the value is given. */
  equals(column: string, value: string | undefined): this {
    if (value !== undefined) this.conditions.push(`${column} = ${this.bind(value)}`);
    return this;
  }

  /**
   * Rows after a keyset position, in the order `(time, id)` ascending or descending (row-value
   * comparison, which PostgreSQL and SQLite both have). PostgreSQL keeps microseconds and a
   * cursor milliseconds, so times compare at millisecond precision there.
   */
  after(timeColumn: string, position: KeysetPosition | undefined, order: 'asc' | 'desc'): this {
    if (!position) return this;
    const time = this.bind(timestampValue(this.dialect, new Date(position.t)));
    const id = this.bind(position.id);
    const operator = order === 'asc' ? '>' : '<';
    this.conditions.push(`(${this.time(timeColumn)}, id) ${operator} (${time}, ${id})`);
    return this;
  }

  /** The column as compared and sorted. */
  time(column: string): string {
    return this.dialect === 'postgres' ? `date_trunc('milliseconds', ${column})` : column;
  }

  get where(): string {
    return this.conditions.length > 0 ? ` WHERE ${this.conditions.join(' AND ')}` : '';
  }

  private bind(value: unknown): string {
    this.values.push(value);
    return param(this.dialect, this.values.length);
  }
}
