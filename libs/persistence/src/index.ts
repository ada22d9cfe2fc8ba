export {
  DEFAULT_POOL_SIZE,
  DEFAULT_SQLITE_PATH,
  databaseOptionsFromEnv,
  describeDatabase,
  redactUrl,
  type DatabaseOptions,
  type EntityClass,
  type MigrationClass,
} from './database-options';
export {
  SQLITE_BUSY_TIMEOUT_MS,
  createDataSource,
  initializeDatabase,
} from './data-source.factory';
export { bigintAsString } from './entities/column-types';
export { AuditEntry } from './entities/audit-entry.entity';
export { ApiKey } from './entities/api-key.entity';
export { ConnectorCursor } from './entities/connector-cursor.entity';
export { DlqAction, type DlqActionKind } from './entities/dlq-action.entity';
export { EventLogEntry } from './entities/event-log-entry.entity';
export { InboxEntry } from './entities/inbox-entry.entity';
export { OutboxMessage } from './entities/outbox-message.entity';
export * from './entities/traceability';
export * from './entities/flows';
export { PERSISTENCE_ENTITIES } from './entities/persistence-entities';
export { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';
