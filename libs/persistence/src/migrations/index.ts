import type { MigrationClass } from '../database-options';
import { InitialMessagingPostgres1795315200000 } from './postgres/1795315200000-initial-messaging';
import { InitialMessagingSqlite1795315200000 } from './sqlite/1795315200000-initial-messaging';

/** Migrations per driver, oldest first: the DDL differs, so each driver has its own set. */
export const POSTGRES_MIGRATIONS: readonly MigrationClass[] = [
  InitialMessagingPostgres1795315200000,
];
export const SQLITE_MIGRATIONS: readonly MigrationClass[] = [InitialMessagingSqlite1795315200000];
