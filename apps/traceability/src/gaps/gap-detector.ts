import { dataOf } from '../genealogy/event-data';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { isoTime } from '@threadline/traceability';
import type { GapRule } from '@threadline/traceability';
import type { GapWindows, TraceabilityConfig } from '../config/traceability-config';
import { GenealogySql } from '../genealogy/genealogy-sql';
import { TIMED_RULES, type FoundGap } from './gap-rules';
import {
  heldShipmentGaps,
  noLongerHeldSql,
  shipmentLinesSql,
  type ShipmentLineState,
} from './shipment-holds';

interface Candidate {
  readonly subject: string;
  readonly plant: string;
  /** When the rule's window started: the output, the consumption, the receipt, the completion. */
  readonly since: string;
  readonly lotIds: readonly string[];
  readonly orderId: string | null;
  readonly materialId?: string | null;
}

const MINUTE_MS = 60_000;
/** How long after a shipment a trailing hold or release still changes the verdict. */
const SHIPMENT_RECHECK_MS = 24 * 60 * MINUTE_MS;

/**
 * The five gap rules (issue #6). A shipment of a held or blocked lot is found as the shipment is
 * recorded, and judged again by `sweep` for a day, since holds and releases may arrive after it.
 * The others wait, per plant, for the missing fact (a late event is not a gap) and are found by
 * `sweep`, which also resolves open gaps whose missing fact has since arrived.
 */
export class GapDetector {
  constructor(private readonly config: TraceabilityConfig) {}

  /** Lots of this shipment that left while on hold or blocked (as known now). */
  async onShipment(sql: GenealogySql, event: CloudEventEnvelope): Promise<FoundGap[]> {
    const { shipmentId } = dataOf(event, 'shipment.dispatched');
    const rows = await sql.query<ShipmentLineState[]>(
      shipmentLinesSql(sql.dialect, `s.shipment_id = ${sql.p(1)}`),
      [shipmentId],
    );
    return heldShipmentGaps(rows);
  }

  /**
   * Shipments of the last day whose hold or block arrived after them: holds and status changes
   * can overtake or trail a shipment on the way in, so it is judged again until then.
   */
  private async lateHeldShipments(sql: GenealogySql, now: Date): Promise<FoundGap[]> {
    const since = new Date(now.getTime() - SHIPMENT_RECHECK_MS);
    const rows = await sql.query<ShipmentLineState[]>(
      shipmentLinesSql(
        sql.dialect,
        `s.shipped_at >= ${sql.p(1)} AND NOT EXISTS (SELECT 1 FROM trace_gap g` +
          ` WHERE g.rule = 'shipment-of-held-lot' AND g.subject = s.shipment_id || '/' || l.lot_id)`,
      ),
      [sql.time(since)],
    );
    return heldShipmentGaps(rows);
  }

  /** Gaps whose window has passed at `now`; resolves those whose missing fact arrived. */
  async sweep(sql: GenealogySql, now: Date): Promise<FoundGap[]> {
    await this.resolve(sql, now);
    const found: FoundGap[] = await this.lateHeldShipments(sql, now);
    for (const [rule, window] of TIMED_RULES) {
      const cutoff = new Date(now.getTime() - this.shortestWindow(window) * MINUTE_MS);
      for (const candidate of await this.candidates(sql, rule, cutoff)) {
        const settings = this.config.plant(candidate.plant);
        const due =
          Date.parse(candidate.since) <=
          now.getTime() - settings.gapWindowsMinutes[window] * MINUTE_MS;
        const applies =
          rule !== 'receipt-without-inspection' ||
          settings.inspectionRequired.includes(candidate.materialId ?? '');
        if (due && applies) found.push(describe(rule, candidate));
      }
    }
    return found;
  }

  private shortestWindow(window: keyof GapWindows): number {
    return Math.min(...this.config.allSettings().map((s) => s.gapWindowsMinutes[window]));
  }

  private async candidates(sql: GenealogySql, rule: GapRule, cutoff: Date): Promise<Candidate[]> {
    const known = `NOT EXISTS (SELECT 1 FROM trace_gap g WHERE g.rule = '${rule}' AND g.subject =`;
    const rows = await sql.query<Record<string, unknown>[]>(CANDIDATES[rule](known, sql.p(1)), [
      sql.time(cutoff),
    ]);
    const lotsOfOrder = async (orderId: string) =>
      (
        await sql.query<{ lot_id: string }[]>(
          `SELECT l.lot_id FROM order_lot o JOIN lot l ON l.seq = o.lot_seq` +
            ` WHERE o.order_id = ${sql.p(1)} AND o.role = 'output' ORDER BY l.lot_id`,
          [orderId],
        )
      ).map((row) => row.lot_id);
    const candidates: Candidate[] = [];
    for (const row of rows) {
      const orderId = (row.order_id as string | null) ?? null;
      candidates.push({
        subject: String(row.subject),
        plant: String(row.plant),
        since: isoTime(row.since)!,
        lotIds:
          rule === 'output-without-consumption'
            ? await lotsOfOrder(orderId!)
            : [String(row.subject)],
        orderId,
        materialId: (row.material_id as string | null) ?? null,
      });
    }
    return candidates;
  }

  private async resolve(sql: GenealogySql, now: Date): Promise<void> {
    // A shipment judged held until a trailing release (or status change) showed otherwise.
    await sql.query(
      `UPDATE trace_gap SET status = 'resolved', resolved_at = ${sql.p(1)}` +
        ` WHERE rule = 'shipment-of-held-lot' AND status = 'open'` +
        ` AND NOT EXISTS (${noLongerHeldSql(sql.dialect)})`,
      [sql.time(now)],
    );
    for (const [rule, arrived] of Object.entries(ARRIVED)) {
      await sql.query(
        `UPDATE trace_gap SET status = 'resolved', resolved_at = ${sql.p(1)}` +
          ` WHERE rule = '${rule}' AND status = 'open' AND EXISTS (${arrived})`,
        [sql.time(now)],
      );
    }
  }
}

/** Per timed rule: the facts still missing after the cutoff ($1), not yet reported. */
const CANDIDATES: Record<string, (known: string, cutoff: string) => string> = {
  'output-without-consumption': (known, cutoff) =>
    `SELECT o.order_id AS subject, o.order_id, p.plant, MIN(o.at) AS since` +
    ` FROM order_lot o JOIN production_order p ON p.order_id = o.order_id` +
    ` WHERE o.role = 'output' AND o.at <= ${cutoff}` +
    ` AND NOT EXISTS (SELECT 1 FROM order_lot i WHERE i.order_id = o.order_id AND i.role = 'input')` +
    ` AND ${known} o.order_id) GROUP BY o.order_id, p.plant`,
  'consumption-of-unknown-lot': (known, cutoff) =>
    `SELECT l.lot_id AS subject, MIN(o.order_id) AS order_id, MIN(p.plant) AS plant, MIN(o.at) AS since` +
    ` FROM order_lot o JOIN lot l ON l.seq = o.lot_seq JOIN production_order p ON p.order_id = o.order_id` +
    ` WHERE o.role = 'input' AND l.origin = 'referenced' AND o.at <= ${cutoff}` +
    ` AND ${known} l.lot_id) GROUP BY l.lot_id`,
  'receipt-without-inspection': (known, cutoff) =>
    `SELECT l.lot_id AS subject, NULL AS order_id, l.plant, l.origin_at AS since, l.material_id` +
    ` FROM lot l WHERE l.origin = 'received' AND l.inspection_lot_id IS NULL` +
    ` AND l.origin_at <= ${cutoff} AND ${known} l.lot_id)`,
  'output-without-parent': (known, cutoff) =>
    `SELECT l.lot_id AS subject, p.order_id, p.plant, p.completed_at AS since` +
    ` FROM production_order p JOIN order_lot o ON o.order_id = p.order_id AND o.role = 'output'` +
    ` JOIN lot l ON l.seq = o.lot_seq WHERE p.completed_at <= ${cutoff}` +
    ` AND NOT EXISTS (SELECT 1 FROM lot_link k WHERE k.to_seq = o.lot_seq)` +
    ` AND ${known} l.lot_id)`,
};

/** Per timed rule: the missing fact has arrived for the gap row `trace_gap`. */
const ARRIVED: Record<string, string> = {
  'output-without-consumption': `SELECT 1 FROM order_lot i WHERE i.order_id = trace_gap.subject AND i.role = 'input'`,
  'consumption-of-unknown-lot': `SELECT 1 FROM lot l WHERE l.lot_id = trace_gap.subject AND l.origin <> 'referenced'`,
  'receipt-without-inspection': `SELECT 1 FROM lot l WHERE l.lot_id = trace_gap.subject AND l.inspection_lot_id IS NOT NULL`,
  'output-without-parent': `SELECT 1 FROM lot l JOIN lot_link k ON k.to_seq = l.seq WHERE l.lot_id = trace_gap.subject`,
};

function describe(rule: GapRule, c: Candidate): FoundGap {
  const base = { rule, subject: c.subject, plant: c.plant, lotIds: c.lotIds, orderId: c.orderId };
  switch (rule) {
    case 'output-without-consumption':
      return {
        ...base,
        severity: 'medium',
        description: `order ${c.orderId} declared output ${c.lotIds.join(', ')} since ${c.since} but recorded no consumption`,
      };
    case 'consumption-of-unknown-lot':
      return {
        ...base,
        severity: 'medium',
        description: `order ${c.orderId} consumed lot ${c.subject}, which was never received or declared (consumed ${c.since})`,
      };
    case 'receipt-without-inspection':
      return {
        ...base,
        severity: 'medium',
        description: `lot ${c.subject} of material ${c.materialId}, which requires inspection, was received ${c.since} and has no inspection lot`,
      };
    case 'output-without-parent':
    case 'shipment-of-held-lot':
      return {
        ...base,
        severity: 'medium',
        description: `order ${c.orderId} completed ${c.since} but its output lot ${c.subject} has no parent lot`,
      };
  }
}
