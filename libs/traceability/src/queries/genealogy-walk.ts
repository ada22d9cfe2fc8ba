import type { Dialect } from '@threadline/messaging';
import type { TraceDirection } from '../model';
import { inList, listValue, type Queryable } from './sql';

/** A lot as the walk sees it. */
export interface WalkedLot {
  readonly seq: number;
  readonly lotId: string;
  readonly materialId: string | null;
  readonly status: string | null;
  readonly depth: number;
}

export interface WalkedLink {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly orderId: string;
  readonly quantityValue: number | null;
  readonly quantityUom: string | null;
}

export interface Walk {
  /** Every lot reached, roots included, by seq, with its shortest distance from a root. */
  readonly lots: ReadonlyMap<number, WalkedLot>;
  /** Every link leaving a lot nearer than `maxDepth`, each once. */
  readonly links: readonly WalkedLink[];
}

interface LinkRow {
  from_seq: number;
  to_seq: number;
  order_id: string;
  quantity_value: number | null;
  quantity_uom: string | null;
  lot_id: string;
  material_id: string | null;
  status: string | null;
}

/**
 * Breadth-first over `lot_link`, one indexed statement per level: the whole frontier is one
 * parameter, and each row brings the far lot's id, material and status with it. A lot is
 * expanded once, at its shortest depth, so diamonds cost no more than their edges and cycles in
 * bad data end (ADR 0008 compares this with a recursive CTE).
 */
export async function walkGenealogy(
  db: Queryable,
  dialect: Dialect,
  roots: readonly Omit<WalkedLot, 'depth'>[],
  direction: TraceDirection,
  maxDepth: number,
): Promise<Walk> {
  const [near, far] = direction === 'backward' ? ['to_seq', 'from_seq'] : ['from_seq', 'to_seq'];
  const sql =
    `SELECT l.from_seq, l.to_seq, l.order_id, l.quantity_value, l.quantity_uom,` +
    ` n.lot_id, n.material_id, n.status` +
    ` FROM lot_link l JOIN lot n ON n.seq = l.${far}` +
    ` WHERE ${inList(dialect, `l.${near}`, 1, 'int')}`;
  const lots = new Map<number, WalkedLot>(roots.map((root) => [root.seq, { ...root, depth: 0 }]));
  const links: WalkedLink[] = [];
  let frontier = roots.map((root) => root.seq);
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const rows = await db.query<LinkRow[]>(sql, [listValue(dialect, frontier)]);
    const next: number[] = [];
    for (const row of rows) {
      links.push({
        fromSeq: row.from_seq,
        toSeq: row.to_seq,
        orderId: row.order_id,
        quantityValue: row.quantity_value,
        quantityUom: row.quantity_uom,
      });
      const seq = direction === 'backward' ? row.from_seq : row.to_seq;
      if (lots.has(seq)) continue;
      lots.set(seq, {
        seq,
        lotId: row.lot_id,
        materialId: row.material_id,
        status: row.status,
        depth,
      });
      next.push(seq);
    }
    frontier = next;
  }
  return { lots, links };
}

/** The lots named, by id; unknown ids are left out. */
export async function lotsById(
  db: Queryable,
  dialect: Dialect,
  lotIds: readonly string[],
): Promise<Omit<WalkedLot, 'depth'>[]> {
  if (lotIds.length === 0) return [];
  const rows = await db.query<
    { seq: number; lot_id: string; material_id: string | null; status: string | null }[]
  >(
    `SELECT seq, lot_id, material_id, status FROM lot WHERE ${inList(dialect, 'lot_id', 1, 'text')}`,
    [listValue(dialect, lotIds)],
  );
  return rows.map((row) => ({
    seq: row.seq,
    lotId: row.lot_id,
    materialId: row.material_id,
    status: row.status,
  }));
}
