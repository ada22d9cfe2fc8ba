import type { CanonicalDataMap } from '@threadline/contracts';
import { dataOf } from './event-data';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { EntityManager } from 'typeorm';
import { GenealogySql } from './genealogy-sql';
import { appendTimeline, lotSeqs, upsertLot, type TimelineRow } from './lot-writes';

/** The lot events the genealogy is built from (issue #6), each recorded by one method below. */
export const GENEALOGY_EVENT_TYPES = [
  'material.lot.received',
  'production.material.consumed',
  'production.output.declared',
  'production.operation.completed',
  'production.order.completed',
  'quality.inspection.lot.created',
  'quality.inspection.result.recorded',
  'quality.nonconformance.raised',
  'quality.nonconformance.dispositioned',
  'quality.nonconformance.closed',
  'inventory.hold.placed',
  'inventory.hold.released',
  'inventory.lot.status.changed',
  'shipment.dispatched',
  'customer.complaint.received',
] as const;

export type GenealogyEventType = (typeof GENEALOGY_EVENT_TYPES)[number];

/**
 * Applies one lot event to the genealogy, in the event's transaction (the inbox makes each
 * event count once). Every write is an upsert keyed by the source's ids, so arrival order does
 * not matter: an output declared before its consumption still gets its links.
 */
export class GenealogyRecorder {
  async record(event: CloudEventEnvelope, manager: EntityManager, now = new Date()): Promise<void> {
    const sql = new GenealogySql(manager);
    const type = event.type as GenealogyEventType;
    const timeline = await this.apply(sql, type, event, now);
    await appendTimeline(sql, timeline);
  }

  private async apply(
    sql: GenealogySql,
    type: GenealogyEventType,
    event: CloudEventEnvelope,
    now: Date,
  ): Promise<TimelineRow[]> {
    const entry = (lotSeq: number | null, extra: Partial<TimelineRow> = {}): TimelineRow => ({
      lotSeq,
      eventId: event.id,
      type: event.type,
      time: event.time,
      data: event.data,
      ...extra,
    });
    const plant = event.plant;
    switch (type) {
      case 'material.lot.received': {
        const data = dataOf(event, 'material.lot.received');
        const seq = await upsertLot(
          sql,
          {
            lotId: data.lotId,
            plant,
            origin: 'received',
            originAt: data.receivedAt,
            materialId: data.materialId,
            quantity: data.quantity,
            supplierId: data.supplierId,
            supplierLotId: data.supplierLotId,
            purchaseOrderId: data.purchaseOrderId,
          },
          now,
        );
        return [entry(seq)];
      }
      case 'production.material.consumed': {
        const data = dataOf(event, 'production.material.consumed');
        await this.lockOrder(sql, data.orderId, plant, now);
        const [seq] = await lotSeqs(sql, [data.lotId], plant, now);
        await this.addConsumption(sql, data.orderId, seq, data.quantity, data.consumedAt);
        return [entry(seq, { orderId: data.orderId })];
      }
      case 'production.output.declared': {
        const data = dataOf(event, 'production.output.declared');
        await this.lockOrder(sql, data.orderId, plant, now);
        const seq = await upsertLot(
          sql,
          {
            lotId: data.outputLotId,
            plant,
            origin: 'produced',
            originAt: data.declaredAt,
            materialId: data.materialId,
            quantity: data.quantity,
            orderId: data.orderId,
          },
          now,
        );
        await this.addOutput(sql, data.orderId, seq, data.quantity, data.declaredAt);
        return [entry(seq, { orderId: data.orderId })];
      }
      case 'production.operation.completed': {
        const data = dataOf(event, 'production.operation.completed');
        await this.lockOrder(sql, data.orderId, plant, now);
        return [entry(null, { orderId: data.orderId })];
      }
      case 'production.order.completed': {
        const data = dataOf(event, 'production.order.completed');
        await this.lockOrder(sql, data.orderId, plant, now);
        await sql.query(
          `UPDATE production_order SET completed_at = ${sql.p(1)} WHERE order_id = ${sql.p(2)}`,
          [sql.time(data.completedAt), data.orderId],
        );
        return [entry(null, { orderId: data.orderId })];
      }
      case 'quality.inspection.lot.created':
      case 'quality.inspection.result.recorded': {
        const data = dataOf(event, 'quality.inspection.lot.created');
        const [seq] = await lotSeqs(sql, [data.lotId], plant, now);
        await sql.query(
          `UPDATE lot SET inspection_lot_id = COALESCE(inspection_lot_id, ${sql.p(1)}) WHERE seq = ${sql.p(2)}`,
          [data.inspectionLotId, seq],
        );
        return [entry(seq)];
      }
      case 'quality.nonconformance.raised': {
        const data = dataOf(event, 'quality.nonconformance.raised');
        const seqs = await lotSeqs(sql, data.lotIds, plant, now);
        return seqs.map((seq) => entry(seq, { refId: data.ncrId }));
      }
      case 'quality.nonconformance.dispositioned':
      case 'quality.nonconformance.closed': {
        const data = dataOf(event, 'quality.nonconformance.closed');
        return [entry(null, { refId: data.ncrId })];
      }
      case 'inventory.hold.placed': {
        const data = dataOf(event, 'inventory.hold.placed');
        const seqs = await lotSeqs(sql, data.lotIds, plant, now);
        for (const seq of seqs) await this.placeHold(sql, seq, data);
        return seqs.map((seq) => entry(seq, { refId: data.ncrId }));
      }
      case 'inventory.hold.released': {
        const data = dataOf(event, 'inventory.hold.released');
        const seqs = await lotSeqs(sql, data.lotIds, plant, now);
        for (const seq of seqs) await this.releaseHold(sql, seq, data);
        return seqs.map((seq) => entry(seq));
      }
      case 'inventory.lot.status.changed': {
        const data = dataOf(event, 'inventory.lot.status.changed');
        const [seq] = await lotSeqs(sql, [data.lotId], plant, now);
        // The latest status by source time wins, whatever order the changes arrive in.
        await sql.query(
          `UPDATE lot SET status = ${sql.p(1)}, status_changed_at = ${sql.p(2)}` +
            ` WHERE seq = ${sql.p(3)} AND (status_changed_at IS NULL OR status_changed_at <= ${sql.p(4)})`,
          [data.status, sql.time(data.changedAt), seq, sql.time(data.changedAt)],
        );
        return [entry(seq)];
      }
      case 'shipment.dispatched': {
        const data = dataOf(event, 'shipment.dispatched');
        const seqs = await lotSeqs(
          sql,
          data.lines.map((line) => line.lotId),
          plant,
          now,
        );
        for (const [index, line] of data.lines.entries()) {
          await sql.query(
            `INSERT INTO shipment_line (shipment_id, line_no, lot_seq, customer_id, sales_order_id,` +
              ` quantity_value, quantity_uom, shipped_at, carrier) VALUES (${sql.ps(1, 9)})` +
              ` ON CONFLICT (shipment_id, line_no) DO NOTHING`,
            [
              data.shipmentId,
              index + 1,
              seqs[index],
              data.customerId,
              data.salesOrderId,
              line.quantity.value,
              line.quantity.uom,
              sql.time(data.shippedAt),
              data.carrier ?? null,
            ],
          );
        }
        return [...new Set(seqs)].map((seq) => entry(seq, { refId: data.shipmentId }));
      }
      case 'customer.complaint.received': {
        const data = dataOf(event, 'customer.complaint.received');
        if (data.lotId === undefined) return [entry(null, { refId: data.complaintId })];
        const [seq] = await lotSeqs(sql, [data.lotId], plant, now);
        return [entry(seq, { refId: data.complaintId })];
      }
    }
  }

  /**
   * Creates the order's row or locks it: consumption and output of one order then apply one
   * after the other, so neither misses the other's row when two transactions race.
   */
  private async lockOrder(sql: GenealogySql, orderId: string, plant: string, now: Date) {
    await sql.query(
      `INSERT INTO production_order (order_id, plant, first_seen_at) VALUES (${sql.ps(1, 3)})` +
        ` ON CONFLICT (order_id) DO UPDATE SET plant = production_order.plant`,
      [orderId, plant, sql.time(now)],
    );
  }

  private async addConsumption(
    sql: GenealogySql,
    orderId: string,
    lotSeq: number,
    quantity: { value: number; uom: string },
    at: string,
  ): Promise<void> {
    await sql.query(
      `INSERT INTO order_lot (order_id, role, lot_seq, quantity_value, quantity_uom, at)` +
        ` VALUES (${sql.p(1)}, 'input', ${sql.ps(2, 4)})` +
        ` ON CONFLICT (order_id, role, lot_seq) DO UPDATE SET` +
        ` quantity_value = order_lot.quantity_value + excluded.quantity_value`,
      [orderId, lotSeq, quantity.value, quantity.uom, sql.time(at)],
    );
    // One link to every output the order has declared so far; the quantity is the input's.
    await sql.query(
      `INSERT INTO lot_link (from_seq, to_seq, order_id, quantity_value, quantity_uom)` +
        ` SELECT ${sql.p(1)}, o.lot_seq, o.order_id, ${sql.p(2)}, ${sql.p(3)} FROM order_lot o` +
        ` WHERE o.order_id = ${sql.p(4)} AND o.role = 'output'` +
        ` ON CONFLICT (from_seq, to_seq, order_id) DO UPDATE SET` +
        ` quantity_value = lot_link.quantity_value + excluded.quantity_value`,
      [lotSeq, quantity.value, quantity.uom, orderId],
    );
  }

  private async addOutput(
    sql: GenealogySql,
    orderId: string,
    lotSeq: number,
    quantity: { value: number; uom: string },
    at: string,
  ): Promise<void> {
    await sql.query(
      `INSERT INTO order_lot (order_id, role, lot_seq, quantity_value, quantity_uom, at)` +
        ` VALUES (${sql.p(1)}, 'output', ${sql.ps(2, 4)})` +
        ` ON CONFLICT (order_id, role, lot_seq) DO UPDATE SET` +
        ` quantity_value = order_lot.quantity_value + excluded.quantity_value`,
      [orderId, lotSeq, quantity.value, quantity.uom, sql.time(at)],
    );
    await sql.query(
      `INSERT INTO lot_link (from_seq, to_seq, order_id, quantity_value, quantity_uom)` +
        ` SELECT i.lot_seq, ${sql.p(1)}, i.order_id, i.quantity_value, i.quantity_uom FROM order_lot i` +
        ` WHERE i.order_id = ${sql.p(2)} AND i.role = 'input'` +
        ` ON CONFLICT (from_seq, to_seq, order_id) DO NOTHING`,
      [lotSeq, orderId],
    );
  }

  private async placeHold(
    sql: GenealogySql,
    lotSeq: number,
    data: CanonicalDataMap['inventory.hold.placed'],
  ): Promise<void> {
    await sql.query(
      `INSERT INTO lot_hold (hold_id, lot_seq, ncr_id, reason, placed_at, placed_by)` +
        ` VALUES (${sql.ps(1, 6)}) ON CONFLICT (hold_id, lot_seq) DO UPDATE SET` +
        ` ncr_id = excluded.ncr_id, reason = excluded.reason, placed_at = excluded.placed_at,` +
        ` placed_by = excluded.placed_by`,
      [
        data.holdId,
        lotSeq,
        data.ncrId ?? null,
        data.reason,
        sql.time(data.placedAt),
        sql.json(data.placedBy),
      ],
    );
  }

  private async releaseHold(
    sql: GenealogySql,
    lotSeq: number,
    data: CanonicalDataMap['inventory.hold.released'],
  ): Promise<void> {
    // A release that overtakes its placement creates the row; the placement fills it in later.
    await sql.query(
      `INSERT INTO lot_hold (hold_id, lot_seq, released_at, released_by, approval_reason)` +
        ` VALUES (${sql.ps(1, 5)}) ON CONFLICT (hold_id, lot_seq) DO UPDATE SET` +
        ` released_at = excluded.released_at, released_by = excluded.released_by,` +
        ` approval_reason = excluded.approval_reason`,
      [
        data.holdId,
        lotSeq,
        sql.time(data.releasedAt),
        sql.json(data.releasedBy),
        data.approvalReason ?? null,
      ],
    );
  }
}
