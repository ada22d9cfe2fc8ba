import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEntryInput, AuditRecord } from './audit-entry.model';
import { appendAudit, queryAudit, type AuditQuery } from './audit-log';
import { verifyAudit, type AuditVerification, type VerifyOptions } from './audit-verify';

/**
 * The audit log in one place: `AuditLog.append(manager, entry)` inside the transaction that makes
 * the decision, `AuditLog.query(...)` for listings, `AuditLog.verify(...)` to check the chain.
 */
export const AuditLog = {
  append: (manager: EntityManager, entry: AuditEntryInput): Promise<AuditRecord> =>
    appendAudit(manager, entry),
  query: (source: DataSource | EntityManager, query?: AuditQuery): Promise<AuditRecord[]> =>
    queryAudit(source, query),
  verify: (
    source: DataSource | EntityManager,
    options?: VerifyOptions,
  ): Promise<AuditVerification> => verifyAudit(source, options),
} as const;
