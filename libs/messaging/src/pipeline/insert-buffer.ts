import type { EntityManager } from 'typeorm';
import { dialectOf, valuesList } from './sql-dialect';

/** A table a handler appends to, and what to do when a row is already there. */
export interface BufferedInsert {
  readonly table: string;
  readonly columns: readonly string[];
  /** Columns of a unique constraint: a row that conflicts on them is skipped, not an error. */
  readonly skipConflictsOn?: readonly string[];
}

/** Bound parameters per statement, under PostgreSQL's 65,535 and SQLite's 32,766. */
const MAX_PARAMETERS = 30_000;

/**
 * Rows handlers append during a batch, written as a few multi-row INSERTs just before the batch
 * commits, in the same transaction. Many messages then cost one statement instead of one each.
 */
export class InsertBuffer {
  private readonly pending = new Map<BufferedInsert, unknown[][]>();

  add(insert: BufferedInsert, values: readonly unknown[]): void {
    if (values.length !== insert.columns.length) {
      throw new Error(
        `${insert.table}: ${values.length} values for ${insert.columns.length} columns`,
      );
    }
    const rows = this.pending.get(insert) ?? [];
    rows.push([...values]);
    this.pending.set(insert, rows);
  }

  async flush(manager: EntityManager): Promise<void> {
    const dialect = dialectOf(manager);
    for (const [insert, rows] of this.pending) {
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / insert.columns.length));
      for (let start = 0; start < rows.length; start += perStatement) {
        const chunk = rows.slice(start, start + perStatement);
        const values = valuesList(dialect, chunk.length, insert.columns.length);
        const conflict = insert.skipConflictsOn
          ? ` ON CONFLICT (${insert.skipConflictsOn.join(', ')}) DO NOTHING`
          : '';
        await manager.query(
          `INSERT INTO ${insert.table} (${insert.columns.join(', ')}) VALUES ${values}${conflict}`,
          chunk.flat(),
        );
      }
    }
    this.pending.clear();
  }
}
