import { ThreadlineError } from '@threadline/core';
import { appendAudit, type AuditActorKind } from '@threadline/audit';
import { DlqAction } from '@threadline/persistence';
import type { BrokerDriver, DeadLetter } from '../broker-driver';
import type { MessagingRuntime } from '../messaging.runtime';
import { withTransaction } from '../pipeline/transaction';
import { QUEUE_PURPOSES, consumerQueueNames } from '../topology';

/**
 * Dead-letter queue administration, written once for every front end (the `threadline dlq`
 * CLI, the gateway's /api/v1/dlq): which queues there are, what is in them, and re-drives,
 * each recorded in dlq_action.
 */

/** Why a queue cannot be administered: not a DLQ name, or not declared on the broker. */
export class DeadLetterQueueError extends ThreadlineError {
  constructor(
    readonly reason: 'not-a-dead-letter-queue' | 'unknown-queue',
    readonly queue: string,
  ) {
    super(
      reason === 'unknown-queue' ? 'NOT_FOUND' : 'VALIDATION_FAILED',
      reason === 'unknown-queue'
        ? `queue '${queue}' does not exist`
        : `'${queue}' is not a dead-letter queue (names end in .dlq)`,
    );
  }
}

/** The dead-letter queue of every purpose of every service, in that order. */
export function deadLetterQueuesOf(
  services: readonly string[],
  retryDelaysMs: readonly number[],
): string[] {
  return services.flatMap((service) =>
    QUEUE_PURPOSES.map(
      (purpose) => consumerQueueNames(service, purpose, retryDelaysMs).deadLetterQueue,
    ),
  );
}

export interface DeadLetterQueueDepth {
  readonly queue: string;
  readonly depth: number;
}

/** The depth of each queue that exists; undeclared ones are left out. */
export async function deadLetterDepths(
  driver: BrokerDriver,
  queues: readonly string[],
): Promise<DeadLetterQueueDepth[]> {
  const rows: DeadLetterQueueDepth[] = [];
  for (const queue of queues) {
    const depth = await driver.queueDepth(queue);
    if (depth !== undefined) rows.push({ queue, depth });
  }
  return rows;
}

/** Throws a DeadLetterQueueError unless `queue` is a declared dead-letter queue. */
export async function assertDeadLetterQueue(driver: BrokerDriver, queue: string): Promise<void> {
  if (!queue.endsWith('.dlq')) throw new DeadLetterQueueError('not-a-dead-letter-queue', queue);
  if ((await driver.queueDepth(queue)) === undefined) {
    throw new DeadLetterQueueError('unknown-queue', queue);
  }
}

/** A dead letter's body as text: JSON pretty-printed, anything else (a validation failure) as is. */
export function deadLetterBodyText(letter: DeadLetter): string {
  const text = letter.body.toString('utf8');
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export interface RedriveRequest {
  /** Only these message ids; every message when absent. */
  readonly ids?: readonly string[];
  /** Who re-drives and why, both recorded. */
  readonly actor: string;
  /** What the actor is (audit log): a person by default; an API key for machine clients. */
  readonly actorKind?: AuditActorKind;
  readonly reason: string | null;
  readonly onProgress?: (moved: number) => void;
}

export interface RedriveOutcome {
  readonly queue: string;
  readonly moved: number;
  readonly movedIds: string[];
  /** Asked-for ids that were not in the queue. */
  readonly missingIds: string[];
  /** The dlq_action row that records it. */
  readonly actionId: string;
}

/**
 * Moves dead letters back to their original queue with a fresh attempt count, then records the
 * action (queue, ids, count, actor, reason) in dlq_action.
 */
/** Message ids kept in the audit entry of a re-drive (all of them are in dlq_action). */
const AUDITED_MESSAGE_IDS = 100;

export async function redriveDeadLetters(
  runtime: MessagingRuntime,
  queue: string,
  request: RedriveRequest,
): Promise<RedriveOutcome> {
  await assertDeadLetterQueue(runtime.driver, queue);
  const wanted = request.ids ? new Set(request.ids) : undefined;
  const movedIds: string[] = [];
  const moved = await runtime.driver.redrive(
    queue,
    (letter) => {
      const selected = !wanted || wanted.has(letter.messageId);
      if (selected) movedIds.push(letter.messageId);
      return selected;
    },
    request.onProgress,
  );
  const entry = Object.assign(new DlqAction(), {
    queue,
    action: 'redrive' as const,
    messageIds: movedIds,
    count: moved,
    actor: request.actor,
    reason: request.reason,
  });
  // The record and its audit entry (dlq.redriven) commit together.
  const saved = await withTransaction(runtime.dataSource, async (runner) => {
    const action = await runner.manager.save(entry);
    await appendAudit(runner.manager, {
      actor: { id: request.actor.trim() || 'unknown', kind: request.actorKind ?? 'user' },
      action: 'dlq.redriven',
      subject: queue,
      reason: request.reason,
      detail: {
        dlqActionId: action.id,
        moved,
        messageIds: movedIds.slice(0, AUDITED_MESSAGE_IDS),
        ...(movedIds.length > AUDITED_MESSAGE_IDS ? { messageIdsTruncated: true } : {}),
      },
    });
    return action;
  });
  const done = new Set(movedIds);
  return {
    queue,
    moved,
    movedIds,
    missingIds: [...(wanted ?? [])].filter((id) => !done.has(id)),
    actionId: saved.id,
  };
}
