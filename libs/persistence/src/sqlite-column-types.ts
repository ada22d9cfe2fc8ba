import type { ColumnType, DataSource, EntityMetadata } from 'typeorm';

type ColumnMetadata = EntityMetadata['columns'][number];

/**
 * Entities are written for PostgreSQL, the production database, and declare `timestamptz`,
 * `jsonb` and `bigint`. SQLite has none of these, so a SQLite data source stores them as
 * TypeORM's `datetime` (UTC text `YYYY-MM-DD HH:MM:SS.SSS`), `simple-json` (JSON text) and
 * `integer` (SQLite integers are 64-bit). Entities of other libraries get the same mapping.
 */
const SQLITE_EQUIVALENT: ReadonlyMap<unknown, ColumnType> = new Map<unknown, ColumnType>([
  ['timestamptz', 'datetime'],
  ['jsonb', 'simple-json'],
  ['bigint', 'integer'],
]);

function sqliteEquivalent(type: unknown): ColumnType | undefined {
  return SQLITE_EQUIVALENT.get(type);
}

/**
 * TypeORM has no per-driver column type, so the mapping is applied in two steps. First the
 * driver's type normalisation answers for the PostgreSQL names, which lets the metadata
 * validation (run while metadata is built) accept them...
 */
export function adaptDriverToPostgresColumnTypes(dataSource: DataSource): void {
  const driver = dataSource.driver;
  const normalizeType = driver.normalizeType.bind(driver);
  driver.normalizeType = (column) => {
    const equivalent = sqliteEquivalent(column.type);
    return normalizeType(equivalent === undefined ? column : { ...column, type: equivalent });
  };
}

/**
 * ...then, once metadata is built, every such column is given its SQLite type, so values are
 * converted (Date <-> UTC text, object <-> JSON text) exactly as for a column declared that way.
 */
export function rewriteColumnTypesForSqlite(dataSource: DataSource): void {
  for (const metadata of dataSource.entityMetadatas) {
    for (const column of metadata.columns) rewriteColumn(column);
  }
}

function rewriteColumn(column: ColumnMetadata): void {
  const equivalent = sqliteEquivalent(column.type);
  if (equivalent !== undefined) column.type = equivalent;
}
