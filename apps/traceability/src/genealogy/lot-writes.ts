import type { Quantity } from '@threadline/traceability';
import { GenealogySql } from './genealogy-sql';

/** What a lot event says about the lot itself; unset fields keep what is already known. */
export interface LotFacts {
  readonly lotId: string;
  readonly plant: string;
  readonly origin: 'received' | 'produced' | 'referenced';
  readonly originAt?: string;
  readonly materialId?: string;
  readonly quantity?: Quantity;
  readonly supplierId?: string;
  readonly supplierLotId?: string;
  readonly purchaseOrderId?: string;
  readonly orderId?: string;
}

/**
 * The lot's seq, creating or completing its row. A lot first named by a link is `referenced`;
 * its receipt or declaration fills it in later, whatever the order of arrival.
 */
export async function upsertLot(sql: GenealogySql, facts: LotFacts, now: Date): Promise<number> {
  const columns = [
    'lot_id',
    'plant',
    'origin',
    'origin_at',
    'material_id',
    'quantity_value',
    'quantity_uom',
    'supplier_id',
    'supplier_lot_id',
    'purchase_order_id',
    'order_id',
    'first_seen_at',
  ];
  const filled = (column: string) => `${column} = COALESCE(excluded.${column}, lot.${column})`;
  const rows = GenealogySql.rowsOf<{ seq: number }>(
    await sql.query(
      `INSERT INTO lot (${columns.join(', ')}) VALUES (${sql.ps(1, columns.length)})` +
        ` ON CONFLICT (lot_id) DO UPDATE SET` +
        ` origin = CASE WHEN lot.origin = 'referenced' THEN excluded.origin ELSE lot.origin END,` +
        ` plant = COALESCE(lot.plant, excluded.plant),` +
        columns.slice(3, 11).map(filled).join(', ') +
        ` RETURNING seq`,
      [
        facts.lotId,
        facts.plant,
        facts.origin,
        facts.originAt === undefined ? null : sql.time(facts.originAt),
        facts.materialId ?? null,
        facts.quantity?.value ?? null,
        facts.quantity?.uom ?? null,
        facts.supplierId ?? null,
        facts.supplierLotId ?? null,
        facts.purchaseOrderId ?? null,
        facts.orderId ?? null,
        sql.time(now),
      ],
    ),
  );
  return Number(rows[0].seq);
}

/** Seqs of lots named by an event, referenced ones created, in the order given. */
export async function lotSeqs(
  sql: GenealogySql,
  lotIds: readonly string[],
  plant: string,
  now: Date,
): Promise<number[]> {
  const seqs: number[] = [];
  for (const lotId of lotIds) {
    seqs.push(await upsertLot(sql, { lotId, plant, origin: 'referenced' }, now));
  }
  return seqs;
}

export interface TimelineRow {
  readonly lotSeq: number | null;
  readonly orderId?: string;
  readonly refId?: string;
  readonly eventId: string;
  readonly type: string;
  readonly time: string;
  readonly data: unknown;
}

export async function appendTimeline(
  sql: GenealogySql,
  rows: readonly TimelineRow[],
): Promise<void> {
  for (const row of rows) {
    await sql.query(
      `INSERT INTO lot_event (lot_seq, order_id, ref_id, event_id, type, time, data)` +
        ` VALUES (${sql.ps(1, 7)})`,
      [
        row.lotSeq,
        row.orderId ?? null,
        row.refId ?? null,
        row.eventId,
        row.type,
        sql.time(row.time),
        JSON.stringify(row.data),
      ],
    );
  }
}
