import type { Dialect } from '@threadline/messaging';
import type { FoundGap } from './gap-rules';

/**
 * "Was this lot on hold or blocked when it was shipped?", judged at the shipment's own time from
 * the holds and status changes known so far, whatever order they arrived in. SQL over
 * `shipment_line s JOIN lot l`.
 */
const HOLD_AT_SHIPMENT =
  `(SELECT MIN(h.hold_id) FROM lot_hold h WHERE h.lot_seq = l.seq AND h.placed_at <= s.shipped_at` +
  ` AND (h.released_at IS NULL OR h.released_at > s.shipped_at))`;

function statusAtShipment(dialect: Dialect): string {
  const status = dialect === 'postgres' ? `e.data->>'status'` : `json_extract(e.data, '$.status')`;
  return (
    `(SELECT ${status} FROM lot_event e WHERE e.lot_seq = l.seq` +
    ` AND e.type = 'inventory.lot.status.changed' AND e.time <= s.shipped_at` +
    ` ORDER BY e.time DESC, e.id DESC LIMIT 1)`
  );
}

/** Shipment lines matching `where`, with the hold and status each lot had when it left. */
export function shipmentLinesSql(dialect: Dialect, where: string): string {
  return (
    `SELECT s.shipment_id, s.customer_id, l.lot_id, l.plant, ${HOLD_AT_SHIPMENT} AS hold_id,` +
    ` ${statusAtShipment(dialect)} AS status` +
    ` FROM shipment_line s JOIN lot l ON l.seq = s.lot_seq WHERE ${where}`
  );
}

/** The open gaps of this rule whose lot, as now known, was neither held nor blocked. */
export function noLongerHeldSql(dialect: Dialect): string {
  return (
    `SELECT 1 FROM shipment_line s JOIN lot l ON l.seq = s.lot_seq` +
    ` WHERE s.shipment_id || '/' || l.lot_id = trace_gap.subject` +
    ` AND (${HOLD_AT_SHIPMENT} IS NOT NULL OR ${statusAtShipment(dialect)} = 'blocked')`
  );
}

export interface ShipmentLineState {
  shipment_id: string;
  customer_id: string;
  lot_id: string;
  plant: string | null;
  hold_id: string | null;
  status: string | null;
}

/** The gaps among shipment lines: one per shipment and lot that left held or blocked. */
export function heldShipmentGaps(rows: readonly ShipmentLineState[]): FoundGap[] {
  const found = new Map<string, FoundGap>();
  for (const row of rows) {
    if (row.hold_id === null && row.status !== 'blocked') continue;
    const subject = `${row.shipment_id}/${row.lot_id}`;
    found.set(subject, {
      rule: 'shipment-of-held-lot',
      subject,
      plant: row.plant ?? 'UNKNOWN',
      severity: 'high',
      lotIds: [row.lot_id],
      orderId: null,
      description:
        `lot ${row.lot_id} shipped to ${row.customer_id} in ${row.shipment_id} while ` +
        (row.hold_id !== null ? `on hold ${row.hold_id}` : 'blocked'),
    });
  }
  return [...found.values()];
}
