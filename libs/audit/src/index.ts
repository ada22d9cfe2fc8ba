export {
  AUDIT_ACTIONS,
  AUDIT_ACTOR_KINDS,
  AUDIT_HASH_VERSION,
  GENESIS_HASH,
  hashAuditEntry,
  type AuditAction,
  type AuditActor,
  type AuditActorKind,
  type AuditEntryInput,
  type AuditRecord,
  type KnownAuditAction,
} from './audit-entry.model';
export {
  AUDIT_APPEND_LOCK_KEY,
  AuditEntryError,
  appendAudit,
  queryAudit,
  toAuditRecord,
  type AuditQuery,
} from './audit-log';
export {
  verifyAudit,
  type AuditBreak,
  type AuditProblem,
  type AuditVerification,
  type VerifyOptions,
} from './audit-verify';
export { AuditLog } from './audit-log.facade';
export { canonicalJson, sha256Hex } from './canonical';
export { configLoadedEntry, contentHash } from './config-loaded';
