import type { MigrationClass } from '../database-options';
import { ConnectorCursorPostgres1795401600000 } from './postgres/1795401600000-connector-cursor';
import { InitialMessagingPostgres1795315200000 } from './postgres/1795315200000-initial-messaging';
import { ConnectorCursorSqlite1795401600000 } from './sqlite/1795401600000-connector-cursor';
import { InitialMessagingSqlite1795315200000 } from './sqlite/1795315200000-initial-messaging';
import { TraceabilityPostgres1795488000000 } from './postgres/1795488000000-traceability';
import { LotLinkWalkPostgres1795574400000 } from './postgres/1795574400000-lot-link-walk';
import { LotNodeIndexPostgres1795747200000 } from './postgres/1795747200000-lot-node-index';
import { TraceabilitySqlite1795488000000 } from './sqlite/1795488000000-traceability';
import { FlowsPostgres1795660800000 } from './postgres/1795660800000-flows';
import { FlowsSqlite1795660800000 } from './sqlite/1795660800000-flows';
import { ApiKeyPostgres1795922400000 } from './postgres/1795922400000-api-key';
import { ApiKeySqlite1795922400000 } from './sqlite/1795922400000-api-key';
import { AuditEntryPostgres1795836000000 } from './postgres/1795836000000-audit-entry';
import { AuditEntrySqlite1795836000000 } from './sqlite/1795836000000-audit-entry';

/** Migrations per driver, oldest first: the DDL differs, so each driver has its own set. */
export const POSTGRES_MIGRATIONS: readonly MigrationClass[] = [
  InitialMessagingPostgres1795315200000,
  ConnectorCursorPostgres1795401600000,
  TraceabilityPostgres1795488000000,
  LotLinkWalkPostgres1795574400000,
  FlowsPostgres1795660800000,
  LotNodeIndexPostgres1795747200000,
  AuditEntryPostgres1795836000000,
  ApiKeyPostgres1795922400000,
];
export const SQLITE_MIGRATIONS: readonly MigrationClass[] = [
  InitialMessagingSqlite1795315200000,
  ConnectorCursorSqlite1795401600000,
  TraceabilitySqlite1795488000000,
  FlowsSqlite1795660800000,
  AuditEntrySqlite1795836000000,
  ApiKeySqlite1795922400000,
];
