import { AuditEntry } from '@threadline/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  AUDIT_ACTOR_KINDS,
  GENESIS_HASH,
  hashAuditEntry,
  type AuditEntryInput,
  type AuditRecord,
} from './audit-entry.model';

/** An entry refused before it is written: the message names the field and the rule. */
export class AuditEntryError extends Error {
  override name = 'AuditEntryError';
}

/**
 * Key of the PostgreSQL transaction-level advisory lock that serializes appends: the next `seq`
 * and the previous hash are read and the entry written while it is held, until the caller's
 * transaction ends. ("threadline.audit" as an arbitrary 63-bit number.)
 */
export const AUDIT_APPEND_LOCK_KEY = '7411621004240515';

const ACTION_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

function isPostgres(manager: EntityManager): boolean {
  return manager.connection.options.type === 'postgres';
}

function checkLength(field: string, value: string | null | undefined, max: number): void {
  if (value !== null && value !== undefined && value.length > max) {
    throw new AuditEntryError(`${field} must be at most ${max} characters, got ${value.length}`);
  }
}

function validate(input: AuditEntryInput): void {
  if (typeof input.actor?.id !== 'string' || input.actor.id.trim() === '') {
    throw new AuditEntryError('actor.id must be a non-empty string');
  }
  checkLength('actor.id', input.actor.id, 200);
  if (!AUDIT_ACTOR_KINDS.includes(input.actor.kind)) {
    throw new AuditEntryError(
      `actor.kind must be one of ${AUDIT_ACTOR_KINDS.join(', ')}, got '${String(input.actor.kind)}'`,
    );
  }
  if (typeof input.action !== 'string' || !ACTION_PATTERN.test(input.action)) {
    throw new AuditEntryError(
      `action must be a dotted lower-case name such as hold.released, got '${String(input.action)}'`,
    );
  }
  checkLength('action', input.action, 64);
  checkLength('subject', input.subject, 200);
  checkLength('causeEventId', input.causeEventId, 128);
  if (input.at !== undefined && Number.isNaN(input.at.getTime())) {
    throw new AuditEntryError('at must be a valid date');
  }
  if (input.detail !== undefined && input.detail !== null) {
    if (typeof input.detail !== 'object' || Array.isArray(input.detail)) {
      throw new AuditEntryError('detail must be a JSON object');
    }
  }
}

/** The detail as it will read back: plain JSON (dates as strings, undefined members gone). */
function plainDetail(detail: AuditEntryInput['detail']): Record<string, unknown> | null {
  if (detail === undefined || detail === null) return null;
  return JSON.parse(JSON.stringify(detail)) as Record<string, unknown>;
}

/** How TypeORM stores a timestamp in SQLite (better-sqlite3 cannot bind Date objects). */
function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** Milliseconds: what both databases keep of a timestamp (PostgreSQL keeps micro, JS has milli). */
function wholeMilliseconds(at: Date | undefined): Date {
  return new Date((at ?? new Date()).getTime());
}

export function toAuditRecord(row: AuditEntry): AuditRecord {
  return {
    seq: Number(row.seq),
    at: row.at instanceof Date ? row.at : new Date(row.at),
    actor: { id: row.actorId, kind: row.actorKind as AuditRecord['actor']['kind'] },
    action: row.action,
    subject: row.subject ?? null,
    reason: row.reason ?? null,
    causeEventId: row.causeEventId ?? null,
    detail: row.detail ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/**
 * Appends one entry in the caller's transaction (pass the transaction's EntityManager, so the
 * entry commits or rolls back with the decision it records). On PostgreSQL appends are
 * serialized by a transaction-level advisory lock held until that transaction ends; on SQLite
 * the caller's transaction already is (libs/messaging's `withTransaction` queues them). Given a
 * manager outside any transaction, the append runs in a transaction of its own on PostgreSQL.
 * The primary key on `seq` guarantees the chain never forks, whatever happens.
 */
export async function appendAudit(
  manager: EntityManager,
  input: AuditEntryInput,
): Promise<AuditRecord> {
  validate(input);
  if (isPostgres(manager) && !manager.queryRunner?.isTransactionActive) {
    return manager.transaction((inner) => appendLocked(inner, input));
  }
  return appendLocked(manager, input);
}

async function appendLocked(manager: EntityManager, input: AuditEntryInput): Promise<AuditRecord> {
  if (isPostgres(manager)) {
    await manager.query(`SELECT pg_advisory_xact_lock(${AUDIT_APPEND_LOCK_KEY})`);
  }
  const last: Array<{ seq: number | string; hash: string }> = await manager.query(
    `SELECT "seq", "hash" FROM "audit_entry" ORDER BY "seq" DESC LIMIT 1`,
  );
  const unsigned: Omit<AuditRecord, 'hash'> = {
    seq: last.length === 0 ? 1 : Number(last[0].seq) + 1,
    at: wholeMilliseconds(input.at),
    actor: { id: input.actor.id, kind: input.actor.kind },
    action: input.action,
    subject: input.subject ?? null,
    reason: input.reason ?? null,
    causeEventId: input.causeEventId ?? null,
    detail: plainDetail(input.detail),
    prevHash: last.length === 0 ? GENESIS_HASH : last[0].hash,
  };
  const record: AuditRecord = { ...unsigned, hash: hashAuditEntry(unsigned) };
  await manager.insert(AuditEntry, {
    seq: record.seq,
    at: record.at,
    actorId: record.actor.id,
    actorKind: record.actor.kind,
    action: record.action,
    subject: record.subject,
    reason: record.reason,
    causeEventId: record.causeEventId,
    detail: record.detail,
    prevHash: record.prevHash,
    hash: record.hash,
  } as QueryDeepPartialEntity<AuditEntry>);
  return record;
}

/** Filters of `queryAudit`; all optional, combined with AND. */
export interface AuditQuery {
  subject?: string;
  actorId?: string;
  action?: string;
  /** Entries at or after this time. */
  from?: Date;
  /** Entries before this time. */
  to?: Date;
  /** Entries after this sequence number (a keyset cursor). */
  afterSeq?: number;
  /** At most this many (default 100). */
  limit?: number;
}

/** Entries matching the filters in `seq` order (the order they were appended). */
export async function queryAudit(
  source: DataSource | EntityManager,
  query: AuditQuery = {},
): Promise<AuditRecord[]> {
  const manager = 'manager' in source ? source.manager : source;
  const builder = manager.getRepository(AuditEntry).createQueryBuilder('entry');
  if (query.subject !== undefined) builder.andWhere('entry.subject = :subject', query);
  if (query.actorId !== undefined) builder.andWhere('entry.actorId = :actorId', query);
  if (query.action !== undefined) builder.andWhere('entry.action = :action', query);
  const at = (date: Date) => (isPostgres(manager) ? date : sqliteTimestamp(date));
  if (query.from !== undefined) builder.andWhere('entry.at >= :from', { from: at(query.from) });
  if (query.to !== undefined) builder.andWhere('entry.at < :to', { to: at(query.to) });
  if (query.afterSeq !== undefined) builder.andWhere('entry.seq > :afterSeq', query);
  const rows = await builder
    .orderBy('entry.seq', 'ASC')
    .take(query.limit ?? 100)
    .getMany();
  return rows.map(toAuditRecord);
}
