import { AuditEntry } from './audit-entry.entity';
import { ApiKey } from './api-key.entity';
import { ConnectorCursor } from './connector-cursor.entity';
import { DlqAction } from './dlq-action.entity';
import { EventLogEntry } from './event-log-entry.entity';
import { FLOW_ENTITIES } from './flows';
import { InboxEntry } from './inbox-entry.entity';
import { OutboxMessage } from './outbox-message.entity';
import { TRACEABILITY_ENTITIES } from './traceability';

/** The entities this library owns; `createDataSource` always registers them. */
export const PERSISTENCE_ENTITIES = [
  OutboxMessage,
  InboxEntry,
  EventLogEntry,
  DlqAction,
  ConnectorCursor,
  ApiKey,
  AuditEntry,
  ...TRACEABILITY_ENTITIES,
  ...FLOW_ENTITIES,
] as const;
