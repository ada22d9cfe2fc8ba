import type { DataSource } from 'typeorm';

/**
 * The obvious query the goals are measured against: one plain recursive CTE per question, as
 * an engineer would first write it (UNION over (seq, depth), a depth bound, no other tuning),
 * returning what the API returns: the lots reached with their id, material, status and
 * shortest depth, the links between them, and for the recall scope their shipment lines.
 */
export class RecursiveCteBaseline {
  constructor(private readonly dataSource: DataSource) {}

  async trace(lotId: string, direction: 'backward' | 'forward'): Promise<BaselineResult> {
    const rows = await this.dataSource.query<BaselineRow[]>(traceSql(direction), [lotId]);
    return split(rows);
  }

  async recallScope(lotId: string): Promise<BaselineResult> {
    const rows = await this.dataSource.query<BaselineRow[]>(RECALL_SQL, [lotId]);
    return split(rows);
  }
}

export interface BaselineResult {
  readonly nodes: number;
  readonly edges: number;
  readonly shipments: number;
}

interface BaselineRow {
  kind: 'node' | 'edge' | 'shipment';
}

function reached(direction: 'backward' | 'forward'): string {
  const [near, far] = direction === 'backward' ? ['to_seq', 'from_seq'] : ['from_seq', 'to_seq'];
  return (
    `WITH RECURSIVE t(seq, depth) AS (` +
    ` SELECT seq, 0 FROM lot WHERE lot_id = $1` +
    ` UNION SELECT l.${far}, t.depth + 1 FROM lot_link l JOIN t ON l.${near} = t.seq` +
    ` WHERE t.depth < 100),` +
    ` n AS (SELECT seq, min(depth) AS depth FROM t GROUP BY seq)`
  );
}

const NODES =
  `SELECT 'node' AS kind, lot.lot_id, lot.material_id, lot.status, n.depth,` +
  ` NULL::text AS to_lot_id, NULL::text AS order_id, NULL::float8 AS quantity_value,` +
  ` NULL::text AS quantity_uom FROM n JOIN lot ON lot.seq = n.seq`;

function traceSql(direction: 'backward' | 'forward'): string {
  const near = direction === 'backward' ? 'to_seq' : 'from_seq';
  return (
    `${reached(direction)} ${NODES}` +
    ` UNION ALL SELECT 'edge', f.lot_id, NULL, NULL, NULL, tl.lot_id, e.order_id,` +
    ` e.quantity_value, e.quantity_uom FROM n JOIN lot_link e ON e.${near} = n.seq` +
    ` JOIN lot f ON f.seq = e.from_seq JOIN lot tl ON tl.seq = e.to_seq`
  );
}

const RECALL_SQL =
  `${reached('forward')} ${NODES}` +
  ` UNION ALL SELECT 'shipment', s.shipment_id, s.customer_id, s.sales_order_id, s.line_no,` +
  ` lot.lot_id, to_char(s.shipped_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), s.quantity_value,` +
  ` s.quantity_uom FROM n JOIN shipment_line s ON s.lot_seq = n.seq JOIN lot ON lot.seq = n.seq`;

function split(rows: readonly BaselineRow[]): BaselineResult {
  let nodes = 0;
  let edges = 0;
  let shipments = 0;
  for (const row of rows) {
    if (row.kind === 'node') nodes++;
    else if (row.kind === 'edge') edges++;
    else shipments++;
  }
  return { nodes, edges, shipments };
}
