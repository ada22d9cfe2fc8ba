import type {
  Actor,
  HoldView,
  LotView,
  Quantity,
  RecallScope,
  TraceEdge,
  TraceNode,
} from '../model';
import type { EquipmentFact, MeasurementFact, TimelineFact } from './timeline-facts';

/** Text shared by the CSV and PDF renderers, so both say the same thing the same way. */

/** `500 kg`, or '' for none. */
export function formatQuantity(quantity: Quantity | null | undefined): string {
  return quantity ? `${quantity.value} ${quantity.uom}` : '';
}

/** `Jane Doe (u-17)`, `u-17`, or '' for none. */
export function formatActor(actor: Actor | null | undefined): string {
  if (!actor) return '';
  return actor.name ? `${actor.name} (${actor.id})` : actor.id;
}

/** `asset TS-01, work center WC-10`, or '' for none. */
export function formatEquipment(equipment: EquipmentFact | null): string {
  if (!equipment) return '';
  const parts = [
    equipment.assetId === null ? null : `asset ${equipment.assetId}`,
    equipment.workCenterId === null ? null : `work center ${equipment.workCenterId}`,
  ];
  return parts.filter((part) => part !== null).join(', ');
}

/** `torqueNm=12.5, program=P7` in the payload's key order. */
export function formatParameters(parameters: TimelineFact['parameters']): string {
  if (!parameters) return '';
  return Object.entries(parameters)
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(', ');
}

/** `diameter 10.62 mm [LSL 10.4, USL 10.6, target 10.5] OUT OF SPEC (above USL)`. */
export function formatMeasurement(measurement: MeasurementFact): string {
  const limits = [
    measurement.lsl === null ? null : `LSL ${measurement.lsl}`,
    measurement.usl === null ? null : `USL ${measurement.usl}`,
    measurement.target === null ? null : `target ${measurement.target}`,
  ].filter((limit) => limit !== null);
  const value = `${measurement.characteristic} ${measurement.value} ${measurement.unit}`.trimEnd();
  const spec = limits.length > 0 ? ` [${limits.join(', ')}]` : '';
  return `${value}${spec}${verdict(measurement)}`;
}

function verdict(measurement: MeasurementFact): string {
  switch (measurement.status) {
    case 'below-lsl':
      return ' OUT OF SPEC (below LSL)';
    case 'above-usl':
      return ' OUT OF SPEC (above USL)';
    case 'in-spec':
      return ' in spec';
    case 'no-limits':
      return '';
  }
}

/** The lot header's fields as label/value pairs, in display order. */
export function lotHeaderFields(lot: LotView): [string, string][] {
  const supplier = lot.supplierId
    ? `${lot.supplierId}` + (lot.supplierLotId ? ` (supplier lot ${lot.supplierLotId})` : '')
    : '';
  return [
    ['Lot', lot.lotId],
    ['Plant', lot.plant ?? ''],
    ['Material', lot.materialId ?? ''],
    ['Origin', lot.originAt ? `${lot.origin} at ${lot.originAt}` : lot.origin],
    ['Declared by order', lot.orderId ?? ''],
    ['Supplier', supplier],
    ['Purchase order', lot.purchaseOrderId ?? ''],
    ['Status', lot.status ? `${lot.status}` + since(lot.statusChangedAt) : ''],
    ['Quantity', formatQuantity(lot.quantity)],
  ];
}

/** `depth 1, material RES-7, status unrestricted`. */
export function formatNode(node: TraceNode): string {
  return [
    `depth ${node.depth}`,
    node.materialId ? `material ${node.materialId}` : null,
    node.status ? `status ${node.status}` : null,
  ]
    .filter((part) => part !== null)
    .join(', ');
}

/** `LOT-A -> LOT-B by order WO-1, 20 kg`. */
export function formatEdge(edge: TraceEdge): string {
  const consumed = edge.quantity ? `, ${formatQuantity(edge.quantity)}` : '';
  return `${edge.from} -> ${edge.to} by order ${edge.orderId}${consumed}`;
}

/** `H-1 placed 2026-05-14T09:00:00Z by Ann (u-2): reason; released ... : approval`. */
export function formatHold(hold: HoldView): string {
  const placed = `placed${at(hold.placedAt)}${by(hold.placedBy)}: ${hold.reason ?? 'no reason given'}`;
  const ncr = hold.ncrId ? ` (${hold.ncrId})` : '';
  if (hold.active) return `${hold.holdId} ${placed}${ncr}; active`;
  const approval = hold.approvalReason ? `: ${hold.approvalReason}` : '';
  return `${hold.holdId} ${placed}${ncr}; released${at(hold.releasedAt)}${by(hold.releasedBy)}${approval}`;
}

/** `3 affected lots (A, B, C); 1 on hand (C); 2 shipments; 2 customers (C-1, C-2)`. */
export function recallSummary(recall: RecallScope): string {
  const shipments = new Set(recall.shipments.map((shipment) => shipment.shipmentId));
  const list = (items: readonly string[]): string =>
    items.length > 0 ? ` (${items.join(', ')})` : '';
  return [
    `${recall.affectedLots.length} affected lots${list(recall.affectedLots)}`,
    `${recall.onHand.length} on hand${list(recall.onHand)}`,
    `${shipments.size} shipments${list([...shipments])}`,
    `${recall.customers.length} customers${list(recall.customers)}`,
  ].join('; ');
}

function since(time: string | null): string {
  return time ? ` since ${time}` : '';
}

function at(time: string | null): string {
  return time ? ` ${time}` : '';
}

function by(actor: Actor | null): string {
  return actor ? ` by ${formatActor(actor)}` : '';
}
