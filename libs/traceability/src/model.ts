/**
 * The genealogy as the query API answers it (`/api/v1/lots/...`, the CLI, reports, EPCIS).
 * Times are RFC 3339 strings in UTC; quantities are the catalog's `Quantity`.
 */

export interface Quantity {
  readonly value: number;
  readonly uom: string;
}

export type TraceDirection = 'backward' | 'forward';

export interface TraceNode {
  readonly lotId: string;
  readonly materialId: string | null;
  /** The ERP lot status, or null while none was reported. */
  readonly status: string | null;
  /** Links from the root along the shortest path (the root is 0). */
  readonly depth: number;
}

/** Always from the input lot to the output lot, whichever way the trace went. */
export interface TraceEdge {
  readonly from: string;
  readonly to: string;
  readonly orderId: string;
  /** How much of `from` the order consumed (summed over its consumptions). */
  readonly quantity: Quantity | null;
}

export interface TraceResult {
  readonly root: string;
  readonly direction: TraceDirection;
  readonly nodes: readonly TraceNode[];
  readonly edges: readonly TraceEdge[];
}

export interface ShipmentRef {
  readonly shipmentId: string;
  readonly customerId: string;
  readonly salesOrderId: string;
  readonly lotId: string;
  readonly quantity: Quantity;
  readonly shippedAt: string;
  readonly carrier: string | null;
}

export interface RecallScope {
  readonly lotId: string;
  /** The lot and every descendant. */
  readonly affectedLots: readonly string[];
  /** Affected lots with no shipment line. */
  readonly onHand: readonly string[];
  readonly shipments: readonly ShipmentRef[];
  readonly customers: readonly string[];
}

export interface HoldView {
  readonly holdId: string;
  readonly ncrId: string | null;
  readonly reason: string | null;
  readonly placedAt: string | null;
  readonly placedBy: Actor | null;
  readonly releasedAt: string | null;
  readonly releasedBy: Actor | null;
  readonly approvalReason: string | null;
  /** Placed and not released. */
  readonly active: boolean;
}

export interface Actor {
  readonly id: string;
  readonly kind: 'user' | 'system';
  readonly name?: string;
}

/**
 * One event touching the lot: directly (`lot`), through an order that consumed or declared it
 * (`order`, e.g. an operation's process parameters), or through an NCR that named it (`ncr`,
 * e.g. the disposition). `data` is the event's payload as received.
 */
export interface TimelineEntry {
  readonly eventId: string;
  readonly type: string;
  readonly time: string;
  readonly via: 'lot' | 'order' | 'ncr';
  readonly data: Readonly<Record<string, unknown>>;
}

export type LotOrigin = 'received' | 'produced' | 'referenced';

export interface LotView {
  readonly lotId: string;
  readonly plant: string | null;
  readonly materialId: string | null;
  /** `referenced`: only named by another lot's event so far. */
  readonly origin: LotOrigin;
  readonly originAt: string | null;
  readonly status: string | null;
  readonly statusChangedAt: string | null;
  readonly quantity: Quantity | null;
  readonly supplierId: string | null;
  readonly supplierLotId: string | null;
  readonly purchaseOrderId: string | null;
  /** The order that declared it. */
  readonly orderId: string | null;
  readonly holds: readonly HoldView[];
  readonly timeline: readonly TimelineEntry[];
}

/** A production order of the genealogy: what it declared and when (for EPCIS, reports). */
export interface OrderView {
  readonly orderId: string;
  readonly completedAt: string | null;
  readonly outputs: readonly { lotId: string; quantity: Quantity | null; declaredAt: string }[];
}

/** Everything an audit-ready report shows about one lot. */
export interface LotReport {
  readonly generatedAt: string;
  readonly lot: LotView;
  readonly backward: TraceResult;
  readonly forward: TraceResult;
  readonly recall: RecallScope;
  /** Every order on an edge of either trace, however far from the lot. */
  readonly orders: readonly OrderView[];
}

export type GapRule =
  | 'output-without-consumption'
  | 'consumption-of-unknown-lot'
  | 'shipment-of-held-lot'
  | 'receipt-without-inspection'
  | 'output-without-parent';

export interface GapView {
  readonly gapId: string;
  readonly rule: GapRule;
  readonly severity: 'low' | 'medium' | 'high';
  readonly status: 'open' | 'resolved';
  readonly plant: string;
  readonly lotIds: readonly string[];
  readonly orderId: string | null;
  readonly description: string;
  readonly detectedAt: string;
  readonly resolvedAt: string | null;
}
