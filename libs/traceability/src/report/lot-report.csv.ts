import type { LotReport, TraceResult } from '../model';
import { toCsv } from './csv';
import {
  formatActor,
  formatEdge,
  formatEquipment,
  formatHold,
  formatMeasurement,
  formatNode,
  formatParameters,
  formatQuantity,
  lotHeaderFields,
  recallSummary,
} from './format';
import { extractDispositions, extractTimelineFacts, type TimelineFact } from './timeline-facts';

/** The one table of the CSV report, in column order. */
export const LOT_REPORT_CSV_COLUMNS = [
  'section',
  'time',
  'type',
  'lotId',
  'orderId',
  'actor',
  'equipment',
  'detail',
] as const;

type Row = Record<(typeof LOT_REPORT_CSV_COLUMNS)[number], string>;

/**
 * The report as one CSV table (RFC 4180, CRLF, header row first). Sections in order: `lot` (the
 * header), `genealogy` (`backward-node`, `backward-edge`, `forward-node`, `forward-edge`),
 * `timeline` (one row per event, oldest first), `measurement` (one row per measured value, type =
 * its spec status), `hold`, `disposition`, `shipment` and `recall` (the summary).
 */
export function renderLotReportCsv(report: LotReport): string {
  const rows: Row[] = [
    lotRow(report),
    ...genealogyRows(report.backward),
    ...genealogyRows(report.forward),
    ...extractTimelineFacts(report.lot.timeline).flatMap((fact) => [
      timelineRow(fact),
      ...measurementRows(fact),
    ]),
    ...holdRows(report),
    ...dispositionRows(report),
    ...shipmentRows(report),
    recallRow(report),
  ];
  return toCsv([
    [...LOT_REPORT_CSV_COLUMNS],
    ...rows.map((row) => LOT_REPORT_CSV_COLUMNS.map((column) => row[column])),
  ]);
}

function row(section: string, fields: Partial<Row>): Row {
  return {
    section,
    time: '',
    type: '',
    lotId: '',
    orderId: '',
    actor: '',
    equipment: '',
    detail: '',
    ...fields,
  };
}

function lotRow({ lot }: LotReport): Row {
  const fields = lotHeaderFields(lot).filter(
    ([label, value]) => value !== '' && !['Lot', 'Origin', 'Declared by order'].includes(label),
  );
  return row('lot', {
    time: lot.originAt ?? '',
    type: lot.origin,
    lotId: lot.lotId,
    orderId: lot.orderId ?? '',
    detail: fields.map(([label, value]) => `${label}: ${value}`).join('; '),
  });
}

function genealogyRows(trace: TraceResult): Row[] {
  return [
    ...trace.nodes.map((node) =>
      row('genealogy', {
        type: `${trace.direction}-node`,
        lotId: node.lotId,
        detail: formatNode(node),
      }),
    ),
    ...trace.edges.map((edge) =>
      row('genealogy', {
        type: `${trace.direction}-edge`,
        lotId: edge.from,
        orderId: edge.orderId,
        detail: formatEdge(edge),
      }),
    ),
  ];
}

function timelineRow(fact: TimelineFact): Row {
  const parameters = formatParameters(fact.parameters);
  return row('timeline', {
    time: fact.time,
    type: fact.type,
    lotId: fact.lotIds.join(' '),
    orderId: fact.orderId ?? '',
    actor: fact.actor ? `${fact.actor.role}: ${formatActor(fact.actor)}` : '',
    equipment: formatEquipment(fact.equipment),
    detail: fact.inspection
      ? `Inspection ${fact.inspection.inspectionLotId ?? '?'}: ${fact.inspection.result ?? '?'}, ` +
        `${fact.inspection.measurements.length} measurements, ${fact.inspection.outOfSpec} out of spec`
      : fact.detail + (parameters ? `; parameters: ${parameters}` : ''),
  });
}

function measurementRows(fact: TimelineFact): Row[] {
  return (fact.inspection?.measurements ?? []).map((measurement) =>
    row('measurement', {
      time: fact.time,
      type: measurement.status,
      lotId: fact.lotIds.join(' '),
      orderId: fact.orderId ?? '',
      actor: fact.actor ? `${fact.actor.role}: ${formatActor(fact.actor)}` : '',
      equipment: formatEquipment(fact.equipment),
      detail: formatMeasurement(measurement),
    }),
  );
}

function holdRows({ lot }: LotReport): Row[] {
  return lot.holds.map((hold) =>
    row('hold', {
      time: hold.placedAt ?? '',
      type: hold.active ? 'active' : 'released',
      lotId: lot.lotId,
      actor: formatActor(hold.active ? hold.placedBy : (hold.releasedBy ?? hold.placedBy)),
      detail: formatHold(hold),
    }),
  );
}

function dispositionRows({ lot }: LotReport): Row[] {
  return extractDispositions(lot.timeline).map((disposition) =>
    row('disposition', {
      time: disposition.dispositionedAt,
      type: disposition.disposition,
      lotId: lot.lotId,
      actor: formatActor(disposition.approvedBy),
      detail: `${disposition.ncrId}: ${disposition.reason ?? 'no reason given'}`,
    }),
  );
}

function shipmentRows({ recall }: LotReport): Row[] {
  return recall.shipments.map((shipment) =>
    row('shipment', {
      time: shipment.shippedAt,
      type: 'shipment',
      lotId: shipment.lotId,
      detail:
        `Shipment ${shipment.shipmentId} to customer ${shipment.customerId} ` +
        `(sales order ${shipment.salesOrderId}), ${formatQuantity(shipment.quantity)}` +
        (shipment.carrier ? `, carrier ${shipment.carrier}` : ''),
    }),
  );
}

function recallRow({ generatedAt, recall }: LotReport): Row {
  return row('recall', {
    time: generatedAt,
    type: 'summary',
    lotId: recall.lotId,
    detail: recallSummary(recall),
  });
}
