import { canonicalJson, sha256Hex } from './canonical';

/** Who made a decision: a person (JWT subject), a machine's API key, a service, the system. */
export type AuditActorKind = 'user' | 'apikey' | 'service' | 'system';
export const AUDIT_ACTOR_KINDS: readonly AuditActorKind[] = ['user', 'apikey', 'service', 'system'];

export interface AuditActor {
  id: string;
  kind: AuditActorKind;
}

/** The actions recorded today; any other `area.verb` name is accepted too. */
export const AUDIT_ACTIONS = [
  'hold.requested',
  'hold.placed',
  'hold.released',
  'disposition.recorded',
  'disposition.refused',
  'dlq.redriven',
  'replay',
  'apikey.created',
  'apikey.revoked',
  'config.loaded',
  'login.failed',
] as const;
export type KnownAuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditAction = KnownAuditAction | (string & {});

/** What a caller appends. */
export interface AuditEntryInput {
  actor: AuditActor;
  action: AuditAction;
  /** What it was about: a lot, an NC, a hold, a queue, a file ... */
  subject?: string | null;
  /** Why: the reason given (the meaning of a signature) or the rule that refused. */
  reason?: string | null;
  /** The CloudEvent id of the event that caused the decision. */
  causeEventId?: string | null;
  /** Anything else worth keeping; plain JSON (never a secret). */
  detail?: Record<string, unknown> | null;
  /** When it happened; now by default. */
  at?: Date;
}

/** One entry as stored and as listed. */
export interface AuditRecord {
  seq: number;
  at: Date;
  actor: AuditActor;
  action: string;
  subject: string | null;
  reason: string | null;
  causeEventId: string | null;
  detail: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Version of the canonical serialization, part of what is hashed. */
export const AUDIT_HASH_VERSION = 1;

/**
 * SHA-256 (hex) over the canonical JSON of everything in the entry but its own hash: the
 * sequence number and the previous entry's hash included, so the chain fixes the order.
 */
export function hashAuditEntry(entry: Omit<AuditRecord, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      v: AUDIT_HASH_VERSION,
      seq: entry.seq,
      at: entry.at.toISOString(),
      actor: { id: entry.actor.id, kind: entry.actor.kind },
      action: entry.action,
      subject: entry.subject,
      reason: entry.reason,
      causeEventId: entry.causeEventId,
      detail: entry.detail,
      prevHash: entry.prevHash,
    }),
  );
}
