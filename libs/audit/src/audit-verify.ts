import { AuditEntry } from '@threadline/persistence';
import { MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { GENESIS_HASH, hashAuditEntry, type AuditRecord } from './audit-entry.model';
import { toAuditRecord } from './audit-log';

/** Why an entry breaks the chain. */
export type AuditProblem = 'altered' | 'deleted' | 'reordered';

export interface AuditBreak {
  /** The first bad position: the entry altered or out of place, or the first one missing. */
  seq: number;
  problem: AuditProblem;
  /** One sentence naming the entry and what is wrong with it. */
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Entries read before the first break (all of them when the chain is intact). */
  checked: number;
  /** The last intact entry: note its seq and hash elsewhere to detect a truncated tail later. */
  head: { seq: number; hash: string } | null;
  firstBad: AuditBreak | null;
}

export interface VerifyOptions {
  /** A head noted earlier (`verify`'s own answer kept elsewhere): entries removed from the end
   * of the log, which leave a shorter valid chain, are found against it. */
  expectHead?: { seq: number; hash: string };
}

const PAGE = 1_000;

function describe(record: AuditRecord): string {
  const subject = record.subject === null ? '' : ` on ${record.subject}`;
  return `entry ${record.seq} (${record.action}${subject} by ${record.actor.kind} ${record.actor.id}, ${record.at.toISOString()})`;
}

/**
 * Walks the chain in `seq` order and recomputes every hash. The first entry that does not fit
 * is named, with the reason:
 * - `altered`: its content no longer matches its hash, or its hash is not the one the next
 *   entry was chained to (it was rewritten together with its hash);
 * - `deleted`: a sequence number is missing (the entry before it was chained to one that is gone);
 * - `reordered`: it was chained to an entry that is stored somewhere else in the sequence.
 * Removing entries at the end leaves a shorter valid chain: pass a head noted earlier as
 * `expectHead` (ADR 0012).
 */
export async function verifyAudit(
  source: DataSource | EntityManager,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const manager = 'manager' in source ? source.manager : source;
  const repository = manager.getRepository(AuditEntry);
  let previous: AuditRecord | null = null;
  let checked = 0;
  const noted = options.expectHead;
  for (;;) {
    const rows = await repository.find({
      where: previous === null ? {} : { seq: MoreThan(previous.seq) },
      order: { seq: 'ASC' },
      take: PAGE,
    });
    for (const row of rows) {
      const record = toAuditRecord(row);
      const problem = await checkEntry(manager, previous, record);
      if (problem !== null) {
        return { ok: false, checked, head: headOf(previous), firstBad: problem };
      }
      if (noted !== undefined && record.seq === noted.seq && record.hash !== noted.hash) {
        return {
          ok: false,
          checked,
          head: headOf(previous),
          firstBad: {
            seq: record.seq,
            problem: 'altered',
            message: `${describe(record)} is not the entry noted as head: its hash differs from ${noted.hash}`,
          },
        };
      }
      previous = record;
      checked += 1;
    }
    if (rows.length < PAGE) break;
  }
  if (noted !== undefined && (previous === null || previous.seq < noted.seq)) {
    const from = previous === null ? 1 : previous.seq + 1;
    return {
      ok: false,
      checked,
      head: headOf(previous),
      firstBad: {
        seq: from,
        problem: 'deleted',
        message: `${from === noted.seq ? `entry ${from} is` : `entries ${from} to ${noted.seq} are`} missing (deleted): the head noted as entry ${noted.seq} (${noted.hash}) is gone`,
      },
    };
  }
  return { ok: true, checked, head: headOf(previous), firstBad: null };
}

function headOf(record: AuditRecord | null): AuditVerification['head'] {
  return record === null ? null : { seq: record.seq, hash: record.hash };
}

async function checkEntry(
  manager: EntityManager,
  previous: AuditRecord | null,
  record: AuditRecord,
): Promise<AuditBreak | null> {
  const expectedSeq = previous === null ? 1 : previous.seq + 1;
  const expectedPrev = previous === null ? GENESIS_HASH : previous.hash;
  const { hash, ...unsigned } = record;
  const contentIntact = hashAuditEntry(unsigned) === hash;
  if (record.prevHash !== expectedPrev) {
    const owner = await manager.getRepository(AuditEntry).findOne({
      where: { hash: record.prevHash },
      select: { seq: true },
    });
    if (owner !== null && Number(owner.seq) !== record.seq) {
      return {
        seq: record.seq,
        problem: 'reordered',
        message: `${describe(record)} is out of order: it was appended after the entry now stored as ${Number(owner.seq)}, not after ${previous === null ? 'the start of the log' : `entry ${previous.seq}`}`,
      };
    }
    if (record.seq !== expectedSeq) {
      return missing(expectedSeq, record);
    }
    if (previous !== null) {
      return {
        seq: previous.seq,
        problem: 'altered',
        message: `${describe(previous)} was altered or replaced: its hash is not the one entry ${record.seq} was chained to`,
      };
    }
    return {
      seq: record.seq,
      problem: 'altered',
      message: `${describe(record)} was altered: the first entry must be chained to the start of the log`,
    };
  }
  if (record.seq !== expectedSeq) {
    return contentIntact
      ? missing(expectedSeq, record)
      : {
          seq: record.seq,
          problem: 'altered',
          message: `${describe(record)} was altered: its sequence number or content does not match its hash`,
        };
  }
  if (!contentIntact) {
    return {
      seq: record.seq,
      problem: 'altered',
      message: `${describe(record)} was altered: its content does not match its hash`,
    };
  }
  return null;
}

function missing(expectedSeq: number, record: AuditRecord): AuditBreak {
  const range =
    record.seq - 1 === expectedSeq
      ? `entry ${expectedSeq} is`
      : `entries ${expectedSeq} to ${record.seq - 1} are`;
  return {
    seq: expectedSeq,
    problem: 'deleted',
    message: `${range} missing (deleted): the log jumps to ${describe(record)}`,
  };
}
