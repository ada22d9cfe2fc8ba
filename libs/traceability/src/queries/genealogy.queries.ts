import { param, withTransaction, type Dialect } from '@threadline/messaging';
import type { DataSource } from 'typeorm';
import type {
  GapView,
  HoldView,
  LotReport,
  LotView,
  OrderView,
  RecallScope,
  ShipmentRef,
  TimelineEntry,
  TraceDirection,
  TraceEdge,
  TraceResult,
} from '../model';
import { walkGenealogy, type Walk } from './genealogy-walk';
import { inList, isoTime, jsonValue, listValue, quantityOf, type Queryable } from './sql';

/** Deeper than any real genealogy; bounds a query over bad data. */
export const MAX_TRACE_DEPTH = 1_000;

/**
 * The read side of the genealogy: what `/api/v1/lots/...`, the CLI, reports, EPCIS and hold
 * propagation ask. Every method answers `undefined` for a lot it has never heard of.
 */
export class GenealogyQueries {
  private readonly dialect: Dialect;
  private readonly db: Queryable;

  constructor(dataSource: DataSource, db?: Queryable) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
    this.db = db ?? (this.dialect === 'sqlite' ? queuedOn(dataSource) : dataSource.manager);
  }

  /** Bound to a transaction (hold propagation reads inside the event's transaction). */
  static within(dataSource: DataSource, db: Queryable): GenealogyQueries {
    return new GenealogyQueries(dataSource, db);
  }

  async trace(
    lotId: string,
    direction: TraceDirection,
    maxDepth = MAX_TRACE_DEPTH,
  ): Promise<TraceResult | undefined> {
    const walk = await walkGenealogy(this.db, this.dialect, [lotId], direction, maxDepth);
    if (walk.lots.size === 0) return undefined;
    return { root: lotId, direction, ...nodesAndEdges(walk) };
  }

  async recallScope(lotId: string): Promise<RecallScope | undefined> {
    const walk = await walkGenealogy(this.db, this.dialect, [lotId], 'forward', MAX_TRACE_DEPTH);
    if (walk.lots.size === 0) return undefined;
    return { lotId, ...(await this.scopeOf(walk)) };
  }

  /**
   * Descendants of several lots at once (containment for an NC naming many lots), split into
   * those not shipped and the shipment lines of those that were.
   */
  async descendantsOf(lotIds: readonly string[]): Promise<Omit<RecallScope, 'lotId'>> {
    const walk = await walkGenealogy(this.db, this.dialect, lotIds, 'forward', MAX_TRACE_DEPTH);
    return this.scopeOf(walk);
  }

  async lot(lotId: string): Promise<LotView | undefined> {
    const rows = await this.db.query<Record<string, unknown>[]>(
      `SELECT * FROM lot WHERE lot_id = ${this.p(1)}`,
      [lotId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const seq = Number(row.seq);
    const [holds, timeline] = await Promise.all([this.holdsOf(seq), this.timelineOf(seq)]);
    return {
      lotId,
      plant: row.plant as string | null,
      materialId: row.material_id as string | null,
      origin: row.origin as LotView['origin'],
      originAt: isoTime(row.origin_at),
      status: row.status as string | null,
      statusChangedAt: isoTime(row.status_changed_at),
      quantity: quantityOf(row.quantity_value, row.quantity_uom),
      supplierId: row.supplier_id as string | null,
      supplierLotId: row.supplier_lot_id as string | null,
      purchaseOrderId: row.purchase_order_id as string | null,
      orderId: row.order_id as string | null,
      holds,
      timeline,
    };
  }

  async report(lotId: string, now = new Date()): Promise<LotReport | undefined> {
    const lot = await this.lot(lotId);
    if (!lot) return undefined;
    const [backward, forward, recall] = await Promise.all([
      this.trace(lotId, 'backward'),
      this.trace(lotId, 'forward'),
      this.recallScope(lotId),
    ]);
    const orderIds = [...backward!.edges, ...forward!.edges].map((edge) => edge.orderId);
    return {
      generatedAt: now.toISOString(),
      lot,
      backward: backward!,
      forward: forward!,
      recall: recall!,
      orders: await this.ordersOf([...new Set(orderIds)]),
    };
  }

  async gaps(filter: { status?: 'open' | 'resolved'; limit?: number } = {}): Promise<GapView[]> {
    const where = filter.status ? `WHERE status = ${this.p(1)}` : '';
    const parameters: unknown[] = filter.status ? [filter.status] : [];
    const rows = await this.db.query<Record<string, unknown>[]>(
      `SELECT * FROM trace_gap ${where} ORDER BY detected_at DESC, gap_id LIMIT ${Math.trunc(filter.limit ?? 500)}`,
      parameters,
    );
    return rows.map((row) => ({
      gapId: row.gap_id as string,
      rule: row.rule as GapView['rule'],
      severity: row.severity as GapView['severity'],
      status: row.status as GapView['status'],
      plant: row.plant as string,
      lotIds: jsonValue<string[]>(row.lot_ids),
      orderId: row.order_id as string | null,
      description: row.description as string,
      detectedAt: isoTime(row.detected_at)!,
      resolvedAt: isoTime(row.resolved_at),
    }));
  }

  private async ordersOf(orderIds: readonly string[]): Promise<OrderView[]> {
    if (orderIds.length === 0) return [];
    const rows = await this.db.query<Record<string, unknown>[]>(
      `SELECT o.order_id, p.completed_at, l.lot_id, o.quantity_value, o.quantity_uom, o.at` +
        ` FROM order_lot o JOIN lot l ON l.seq = o.lot_seq` +
        ` LEFT JOIN production_order p ON p.order_id = o.order_id` +
        ` WHERE o.role = 'output' AND ${inList(this.dialect, 'o.order_id', 1, 'text')}` +
        ` ORDER BY o.order_id, o.at, l.lot_id`,
      [listValue(this.dialect, orderIds)],
    );
    const orders = new Map<string, OrderView & { outputs: OrderView['outputs'][number][] }>();
    for (const row of rows) {
      const orderId = row.order_id as string;
      let order = orders.get(orderId);
      if (!order) {
        order = { orderId, completedAt: isoTime(row.completed_at), outputs: [] };
        orders.set(orderId, order);
      }
      order.outputs.push({
        lotId: row.lot_id as string,
        quantity: quantityOf(row.quantity_value, row.quantity_uom),
        declaredAt: isoTime(row.at)!,
      });
    }
    return [...orders.values()];
  }

  private async scopeOf(walk: Walk): Promise<Omit<RecallScope, 'lotId'>> {
    const affected = [...walk.lots.values()];
    const lotIdBySeq = new Map(affected.map((lot) => [lot.seq, lot.lotId]));
    const shipments = await this.shipmentsOf([...lotIdBySeq.keys()], lotIdBySeq);
    const shipped = new Set(shipments.map((line) => line.lotId));
    const affectedLots = affected.map((lot) => lot.lotId).sort();
    return {
      affectedLots,
      onHand: affectedLots.filter((lot) => !shipped.has(lot)),
      shipments,
      customers: [...new Set(shipments.map((line) => line.customerId))].sort(),
    };
  }

  private async shipmentsOf(
    seqs: readonly number[],
    lotIdBySeq: ReadonlyMap<number, string>,
  ): Promise<ShipmentRef[]> {
    if (seqs.length === 0) return [];
    const rows = await this.db.query<Record<string, unknown>[]>(
      `SELECT shipment_id, line_no, lot_seq, customer_id, sales_order_id, quantity_value,` +
        ` quantity_uom, shipped_at, carrier FROM shipment_line` +
        ` WHERE ${inList(this.dialect, 'lot_seq', 1, 'int')}` +
        ` ORDER BY shipped_at, shipment_id, line_no`,
      [listValue(this.dialect, seqs)],
    );
    return rows.map((row) => ({
      shipmentId: row.shipment_id as string,
      customerId: row.customer_id as string,
      salesOrderId: row.sales_order_id as string,
      lotId: lotIdBySeq.get(Number(row.lot_seq))!,
      quantity: quantityOf(row.quantity_value, row.quantity_uom)!,
      shippedAt: isoTime(row.shipped_at)!,
      carrier: row.carrier as string | null,
    }));
  }

  private async holdsOf(seq: number): Promise<HoldView[]> {
    const rows = await this.db.query<Record<string, unknown>[]>(
      `SELECT * FROM lot_hold WHERE lot_seq = ${this.p(1)} ORDER BY placed_at, hold_id`,
      [seq],
    );
    return rows.map((row) => ({
      holdId: row.hold_id as string,
      ncrId: row.ncr_id as string | null,
      reason: row.reason as string | null,
      placedAt: isoTime(row.placed_at),
      placedBy: row.placed_by ? jsonValue(row.placed_by) : null,
      releasedAt: isoTime(row.released_at),
      releasedBy: row.released_by ? jsonValue(row.released_by) : null,
      approvalReason: row.approval_reason as string | null,
      active: row.placed_at !== null && row.released_at === null,
    }));
  }

  /**
   * The lot's own events, those of the orders that consumed or declared it, and those of the
   * NCRs that named it, in time order.
   */
  private async timelineOf(seq: number): Promise<TimelineEntry[]> {
    const p = this.p(1);
    const columns = 'id, event_id, type, time, data';
    const rows = await this.db.query<Record<string, unknown>[]>(
      `SELECT ${columns}, 'lot' AS via FROM lot_event WHERE lot_seq = ${p}` +
        ` UNION ALL SELECT ${columns}, 'order' AS via FROM lot_event` +
        ` WHERE lot_seq IS NULL AND order_id IN (SELECT order_id FROM order_lot WHERE lot_seq = ${p})` +
        ` UNION ALL SELECT ${columns}, 'ncr' AS via FROM lot_event` +
        ` WHERE lot_seq IS NULL AND ref_id IN` +
        ` (SELECT ref_id FROM lot_event WHERE lot_seq = ${p} AND ref_id IS NOT NULL)` +
        ` ORDER BY time, id`,
      this.dialect === 'postgres' ? [seq] : [seq, seq, seq],
    );
    return rows.map((row) => ({
      eventId: row.event_id as string,
      type: row.type as string,
      time: isoTime(row.time)!,
      via: row.via as TimelineEntry['via'],
      data: jsonValue(row.data),
    }));
  }

  private p(n: number): string {
    return param(this.dialect, n);
  }
}

/**
 * SQLite has one connection per process: a read sent while a consumer's transaction is open
 * would run inside it and could see writes that are then rolled back. Each read waits its turn
 * in the transaction queue instead.
 */
function queuedOn(dataSource: DataSource): Queryable {
  return {
    query: <T>(sql: string, parameters?: unknown[]) =>
      withTransaction(dataSource, (runner) => runner.query(sql, parameters) as Promise<T>),
  };
}

function nodesAndEdges(walk: Walk): Pick<TraceResult, 'nodes' | 'edges'> {
  const lotIdOf = (seq: number) => walk.lots.get(seq)!.lotId;
  const nodes = [...walk.lots.values()]
    .map(({ lotId, materialId, status, depth }) => ({ lotId, materialId, status, depth }))
    .sort((a, b) => a.depth - b.depth || a.lotId.localeCompare(b.lotId));
  const edges: TraceEdge[] = walk.links
    .map((link) => ({
      from: lotIdOf(link.fromSeq),
      to: lotIdOf(link.toSeq),
      orderId: link.orderId,
      quantity: quantityOf(link.quantityValue, link.quantityUom),
    }))
    .sort(
      (a, b) =>
        a.from.localeCompare(b.from) ||
        a.to.localeCompare(b.to) ||
        a.orderId.localeCompare(b.orderId),
    );
  return { nodes, edges };
}
