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
 * Breadth-first over `lot_link` from the lots named (unknown ids are left out; none known: an
 * empty walk). A lot is expanded once, at its shortest depth, so diamonds cost no more than
 * their edges and cycles in bad data end. PostgreSQL walks in one statement; SQLite, whose
 * statements are in-process calls, one statement per level (ADR 0008).
 */
export async function walkGenealogy(
  db: Queryable,
  dialect: Dialect,
  rootLotIds: readonly string[],
  direction: TraceDirection,
  maxDepth: number,
): Promise<Walk> {
  if (rootLotIds.length === 0) return { lots: new Map(), links: [] };
  if (dialect === 'postgres') return walkInOneStatement(db, rootLotIds, direction, maxDepth);
  const roots = await lotsById(db, dialect, rootLotIds);
  return walkByLevel(db, dialect, roots, direction, maxDepth);
}

/**
 * The frontier and the lots seen so far travel as arrays through a recursive CTE: each step
 * keeps only lots not seen before, so the walk is the same breadth-first search as
 * `walkByLevel`, without a round trip per level. Then one row per lot and one per link.
 */
function walkSql(direction: TraceDirection): string {
  const [near, far] = direction === 'backward' ? ['to_seq', 'from_seq'] : ['from_seq', 'to_seq'];
  return (
    `WITH RECURSIVE walk(depth, frontier, visited) AS (` +
    ` SELECT 0, array_agg(seq), array_agg(seq) FROM lot WHERE lot_id = ANY($1::text[])` +
    ` UNION ALL` +
    ` SELECT w.depth + 1, n.next, w.visited || n.next FROM walk w CROSS JOIN LATERAL (` +
    ` SELECT array_agg(x) AS next FROM (SELECT l.${far} FROM lot_link l WHERE l.${near} = ANY(w.frontier)` +
    ` EXCEPT SELECT unnest(w.visited)) s(x)) n` +
    ` WHERE n.next IS NOT NULL AND w.depth < $2),` +
    ` nodes AS MATERIALIZED (SELECT u.seq, w.depth FROM walk w, unnest(w.frontier) u(seq))` +
    ` SELECT 'lot' AS kind, nodes.seq AS a, nodes.depth AS b, lot.lot_id AS s1,` +
    ` lot.material_id AS s2, lot.status AS s3, NULL::float8 AS q, NULL::text AS u` +
    ` FROM nodes JOIN lot ON lot.seq = nodes.seq` +
    ` UNION ALL SELECT 'link', e.from_seq, e.to_seq, e.order_id, NULL, NULL, e.quantity_value,` +
    ` e.quantity_uom FROM nodes JOIN lot_link e ON e.${near} = nodes.seq WHERE nodes.depth < $2`
  );
}

const WALK_SQL = { backward: walkSql('backward'), forward: walkSql('forward') };

interface WalkRow {
  kind: 'lot' | 'link';
  a: number;
  b: number;
  s1: string;
  s2: string | null;
  s3: string | null;
  q: number | null;
  u: string | null;
}

async function walkInOneStatement(
  db: Queryable,
  rootLotIds: readonly string[],
  direction: TraceDirection,
  maxDepth: number,
): Promise<Walk> {
  const rows = await db.query<WalkRow[]>(WALK_SQL[direction], [rootLotIds, maxDepth]);
  const lots = new Map<number, WalkedLot>();
  const links: WalkedLink[] = [];
  for (const row of rows) {
    if (row.kind === 'lot') {
      lots.set(row.a, {
        seq: row.a,
        lotId: row.s1,
        materialId: row.s2,
        status: row.s3,
        depth: row.b,
      });
    } else {
      links.push({
        fromSeq: row.a,
        toSeq: row.b,
        orderId: row.s1,
        quantityValue: row.q,
        quantityUom: row.u,
      });
    }
  }
  return { lots, links };
}

/** One indexed statement per level, the whole frontier as one parameter. */
async function walkByLevel(
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
