import { buildEnvelope } from '@threadline/contracts';
import { asEnvelope, dataOf } from '../genealogy/event-data';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { GenealogyQueries, type ShipmentRef } from '@threadline/traceability';
import type { DataSource } from 'typeorm';
import type { TraceabilityConfig } from '../config/traceability-config';
import { GenealogySql } from '../genealogy/genealogy-sql';

/** The erp.inventory.hold.place lotIds bound. */
const MAX_LOTS_PER_COMMAND = 1_000;
const REQUESTED_BY = {
  id: 'threadline-traceability',
  kind: 'system',
  name: 'Threadline traceability',
} as const;

export interface Containment {
  readonly ncrId: string;
  readonly heldLotIds: readonly string[];
  readonly recallCandidates: readonly ShipmentRef[];
  readonly commands: readonly CloudEventEnvelope[];
}

/**
 * Containment (issue #6): a hold placed for an NC reaches the lots made from the held ones. The
 * unshipped descendants not already held get one `erp.inventory.hold.place` per NC (a fixed
 * idempotency key, so a redelivery or a second hold for the same NC asks nothing more); the
 * shipped ones are recorded as recall candidates. Done once per NC, on or off per plant.
 */
export class HoldPropagation {
  constructor(
    private readonly config: TraceabilityConfig,
    private readonly dataSource: DataSource,
  ) {}

  /** The containment for this hold, recorded; undefined when there is nothing to do. */
  async onHoldPlaced(
    sql: GenealogySql,
    event: CloudEventEnvelope,
    now = new Date(),
  ): Promise<Containment | undefined> {
    const data = dataOf(event, 'inventory.hold.placed');
    if (data.ncrId === undefined || !this.config.plant(event.plant).holdPropagation)
      return undefined;
    const done = await sql.query<unknown[]>(
      `SELECT 1 FROM hold_propagation WHERE ncr_id = ${sql.p(1)}`,
      [data.ncrId],
    );
    if (done.length > 0) return undefined;

    const queries = GenealogyQueries.within(this.dataSource, sql.manager);
    const scope = await queries.descendantsOf(data.lotIds);
    const roots = new Set(data.lotIds);
    const held = await this.activelyHeld(sql, scope.onHand);
    const toHold = scope.onHand.filter((lotId) => !roots.has(lotId) && !held.has(lotId));
    const commands = chunks(toHold, MAX_LOTS_PER_COMMAND).map((lotIds, index) =>
      this.holdCommand(event, data.ncrId!, lotIds, index),
    );
    await sql.query(
      `INSERT INTO hold_propagation (ncr_id, hold_id, plant, source_lot_ids, held_lot_ids,` +
        ` recall_candidates, command_id, created_at) VALUES (${sql.ps(1, 8)})`,
      [
        data.ncrId,
        data.holdId,
        event.plant,
        JSON.stringify(data.lotIds),
        JSON.stringify(toHold),
        JSON.stringify(scope.shipments),
        commands[0]?.id ?? null,
        sql.time(now),
      ],
    );
    return { ncrId: data.ncrId, heldLotIds: toHold, recallCandidates: scope.shipments, commands };
  }

  private async activelyHeld(sql: GenealogySql, lotIds: readonly string[]): Promise<Set<string>> {
    if (lotIds.length === 0) return new Set();
    const rows = await sql.query<{ lot_id: string }[]>(
      `SELECT DISTINCT l.lot_id FROM lot_hold h JOIN lot l ON l.seq = h.lot_seq` +
        ` WHERE h.placed_at IS NOT NULL AND h.released_at IS NULL AND ` +
        (sql.dialect === 'postgres'
          ? `l.lot_id = ANY(${sql.p(1)}::text[])`
          : `l.lot_id IN (SELECT value FROM json_each(${sql.p(1)}))`),
      [sql.dialect === 'postgres' ? lotIds : JSON.stringify(lotIds)],
    );
    return new Set(rows.map((row) => row.lot_id));
  }

  private holdCommand(
    cause: CloudEventEnvelope,
    ncrId: string,
    lotIds: readonly string[],
    index: number,
  ): CloudEventEnvelope {
    const part = index === 0 ? '' : `:${index + 1}`;
    return asEnvelope(
      buildEnvelope({
        type: 'erp.inventory.hold.place',
        subject: ncrId,
        source: { plant: cause.plant, system: 'threadline', connectorId: 'traceability' },
        fact: { key: `traceability:${ncrId}:propagate${part}` },
        cause,
        data: {
          lotIds: [...lotIds],
          reason: `containment of ${ncrId}: descendants of held lots`,
          ncrId,
          requestedBy: { ...REQUESTED_BY },
        },
      }),
    );
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
