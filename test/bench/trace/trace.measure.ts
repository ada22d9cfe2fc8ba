import type { DataSource } from 'typeorm';
import { GenealogyQueries } from '../../../libs/traceability/src/queries/genealogy.queries';
import { RecursiveCteBaseline, type BaselineResult } from './trace.baseline';
import { SeededRandom, percentiles, timed, type Percentiles } from './trace-stats';

export interface Roots {
  /** Any lot: every lot has a backward trace (received ones are their own origin). */
  readonly backward: readonly string[];
  /** Lots something was made from (received or intermediate): forward trace and recall. */
  readonly forward: readonly string[];
}

export type QueryKind = 'traceBackward' | 'traceForward' | 'recallScope';

export interface KindFigures {
  readonly api: Percentiles;
  readonly baseline: Percentiles;
  readonly sizes: { nodes: Percentiles; edges: Percentiles; shipmentLines: Percentiles };
  /** Roots where the API and the CTE disagreed on lots, links or shipment lines (expect 0). */
  readonly mismatches: number;
}

/** `count` distinct roots of each kind, drawn by seq with `seed`. */
export async function pickRoots(
  dataSource: DataSource,
  count: number,
  seed: number,
): Promise<Roots> {
  const random = new SeededRandom(seed);
  const [{ max }] = await dataSource.query<{ max: number }[]>(`SELECT max(seq) AS max FROM lot`);
  const backward: string[] = [];
  const forward: string[] = [];
  while (backward.length < count || forward.length < count) {
    const seqs = [...new Set(Array.from({ length: count }, () => random.int(1, max)))];
    const rows = await dataSource.query<{ seq: number; lot_id: string; consumed: boolean }[]>(
      `SELECT seq, lot_id, EXISTS (SELECT 1 FROM lot_link l WHERE l.from_seq = lot.seq) AS consumed` +
        ` FROM lot WHERE seq = ANY($1::int[])`,
      [seqs],
    );
    const bySeq = new Map(rows.map((row) => [row.seq, row]));
    for (const seq of seqs) {
      const row = bySeq.get(seq);
      if (!row) continue;
      if (backward.length < count && !backward.includes(row.lot_id)) backward.push(row.lot_id);
      if (row.consumed && forward.length < count && !forward.includes(row.lot_id)) {
        forward.push(row.lot_id);
      }
    }
  }
  return { backward, forward };
}

interface Size {
  nodes: number;
  edges: number;
  shipmentLines: number;
}

/**
 * Each root asked through the API's own GenealogyQueries (result objects built, as the
 * controller returns them) and through the recursive CTE, alternating which goes first so
 * neither profits from the other's cache; after `warmUp` roots of `warmRoots` untimed.
 */
export async function measureKind(
  dataSource: DataSource,
  kind: QueryKind,
  roots: readonly string[],
  warmRoots: readonly string[],
): Promise<KindFigures> {
  const queries = new GenealogyQueries(dataSource);
  const baseline = new RecursiveCteBaseline(dataSource);
  const api = (lotId: string) => apiSize(queries, kind, lotId);
  const cte = (lotId: string) => cteSize(baseline, kind, lotId);
  for (const lotId of warmRoots) {
    await api(lotId);
    await cte(lotId);
  }
  const apiMs: number[] = [];
  const baselineMs: number[] = [];
  const sizes: Size[] = [];
  let mismatches = 0;
  for (const [index, lotId] of roots.entries()) {
    const first = index % 2 === 0;
    const a = first ? await timed(() => api(lotId)) : undefined;
    const b = await timed(() => cte(lotId));
    const c = a ?? (await timed(() => api(lotId)));
    apiMs.push(c.ms);
    baselineMs.push(b.ms);
    sizes.push(c.value);
    const { nodes, edges, shipmentLines } = c.value;
    if (nodes !== b.value.nodes || edges !== b.value.edges || shipmentLines !== b.value.shipments) {
      mismatches++;
    }
  }
  return {
    api: percentiles(apiMs),
    baseline: percentiles(baselineMs),
    sizes: {
      nodes: percentiles(
        sizes.map((size) => size.nodes),
        0,
      ),
      edges: percentiles(
        sizes.map((size) => size.edges),
        0,
      ),
      shipmentLines: percentiles(
        sizes.map((size) => size.shipmentLines),
        0,
      ),
    },
    mismatches,
  };
}

async function apiSize(queries: GenealogyQueries, kind: QueryKind, lotId: string): Promise<Size> {
  if (kind === 'recallScope') {
    const scope = await queries.recallScope(lotId);
    if (!scope) throw new Error(`recallScope: lot '${lotId}' not found`);
    return { nodes: scope.affectedLots.length, edges: 0, shipmentLines: scope.shipments.length };
  }
  const direction = kind === 'traceBackward' ? 'backward' : 'forward';
  const trace = await queries.trace(lotId, direction);
  if (!trace) throw new Error(`trace ${direction}: lot '${lotId}' not found`);
  return { nodes: trace.nodes.length, edges: trace.edges.length, shipmentLines: 0 };
}

function cteSize(
  baseline: RecursiveCteBaseline,
  kind: QueryKind,
  lotId: string,
): Promise<BaselineResult> {
  if (kind === 'recallScope') return baseline.recallScope(lotId);
  return baseline.trace(lotId, kind === 'traceBackward' ? 'backward' : 'forward');
}
