import { randomUUID } from 'node:crypto';
import { appendAudit, type AuditActor } from '@threadline/audit';
import { buildEnvelope, type Actor } from '@threadline/contracts';
import { dialectOf, param, type MessagingRuntime } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { jsonValue } from '@threadline/traceability';

/** What the records say about a hold: who placed or requested it, where, whether it is open. */
export interface HoldRecord {
  readonly holdId: string;
  readonly plant: string | undefined;
  /** Everyone who placed or requested it: lot_hold.placed_by, flows' requestedBy/holdPlacedBy. */
  readonly involved: readonly Actor[];
  /** Known to traceability (lot_hold rows) and every row released. */
  readonly released: boolean;
}

export type ReleaseOutcome =
  | { kind: 'sent'; commandId: string; approvedBy: Actor }
  | { kind: 'not-found' }
  | { kind: 'released-already' }
  | { kind: 'segregation-of-duties'; rule: string };

const GATEWAY_SOURCE = { system: 'threadline', connectorId: 'gateway' } as const;

/**
 * The hold release of issue #8: a quality approver releases a hold through Threadline, never one
 * they placed or requested (segregation of duties, as the containment flow checks dispositions).
 * Who was involved is read from traceability's lot_hold (placed_by) and from the flows that asked
 * for the hold (their context's requestedBy and holdPlacedBy); the release is the command
 * `erp.inventory.hold.release` written to the runtime's outbox with approvedBy = the caller.
 */
export class HoldRelease {
  constructor(private readonly runtime: MessagingRuntime) {}

  async record(holdId: string): Promise<HoldRecord | undefined> {
    const dataSource = this.runtime.dataSource;
    const dialect = dialectOf(dataSource.manager);
    const p = param(dialect, 1);
    const holds: { placed_by: unknown; released_at: unknown; plant: string | null }[] =
      await dataSource.query(
        `SELECT h.placed_by, h.released_at, l.plant FROM lot_hold h` +
          ` LEFT JOIN lot l ON l.seq = h.lot_seq WHERE h.hold_id = ${p}`,
        [holdId],
      );
    const holdsOfFlow =
      dialect === 'postgres'
        ? `(context->>'holdId' = ${p} OR context->'holdIds' @> jsonb_build_array(${p}::text))`
        : `(json_extract(context, '$.holdId') = ${p} OR EXISTS (SELECT 1 FROM json_each(context, '$.holdIds') WHERE value = ${p}))`;
    const flows: { plant: string; context: unknown }[] = await dataSource.query(
      `SELECT plant, context FROM flow_instance WHERE ${holdsOfFlow}`,
      dialect === 'postgres' ? [holdId] : [holdId, holdId],
    );
    if (holds.length === 0 && flows.length === 0) return undefined;
    const involved: Actor[] = [];
    for (const hold of holds) pushActor(involved, jsonValue(hold.placed_by));
    for (const flow of flows) {
      const context = jsonValue<Record<string, unknown> | null>(flow.context);
      pushActor(involved, context?.requestedBy);
      pushActor(involved, context?.holdPlacedBy);
    }
    return {
      holdId,
      plant: holds.find((hold) => hold.plant)?.plant ?? flows[0]?.plant ?? undefined,
      involved,
      released: holds.length > 0 && holds.every((hold) => hold.released_at !== null),
    };
  }

  /**
   * `auditActor`: who the audit log names (a user, or an API key). The refusal and the release
   * are recorded in the audit log; the release in the same transaction as its command.
   */
  async release(
    holdId: string,
    approvedBy: Actor,
    reason: string,
    auditActor: AuditActor,
  ): Promise<ReleaseOutcome> {
    const record = await this.record(holdId);
    if (!record) return { kind: 'not-found' };
    if (record.released) return { kind: 'released-already' };
    const conflict = record.involved.find((actor) => actor.id === approvedBy.id);
    if (conflict) {
      const rule =
        `segregation of duties: ${approvedBy.id} placed or requested hold ${holdId} ` +
        'and cannot approve its release';
      await appendAudit(this.runtime.dataSource.manager, {
        actor: auditActor,
        action: 'hold.release-refused',
        subject: holdId,
        reason: rule,
        detail: { asked: reason.slice(0, 1000), rule: 'segregation-of-duties', via: 'gateway' },
      });
      return { kind: 'segregation-of-duties', rule };
    }
    const commandId = randomUUID();
    const command = buildEnvelope({
      id: commandId,
      type: 'erp.inventory.hold.release',
      subject: holdId,
      source: { plant: record.plant ?? 'UNKNOWN', ...GATEWAY_SOURCE },
      fact: { key: `gateway:${holdId}:release:${commandId}` },
      data: { holdId, approvedBy, reason },
    }) as unknown as CloudEventEnvelope;
    await this.runtime.dataSource.transaction(async (manager) => {
      await this.runtime.publisher.publishIn(manager, command);
      await appendAudit(manager, {
        actor: auditActor,
        action: 'hold.released',
        subject: holdId,
        reason,
        detail: { command: command.type, commandId, via: 'gateway' },
      });
    });
    this.runtime.publisher.afterCommit();
    return { kind: 'sent', commandId, approvedBy };
  }
}

function pushActor(into: Actor[], value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const { id, kind } = value as { id?: unknown; kind?: unknown };
  if (typeof id !== 'string' || (kind !== 'user' && kind !== 'system')) return;
  if (!into.some((actor) => actor.id === id)) into.push({ id, kind });
}
