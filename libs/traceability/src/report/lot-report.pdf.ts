import PDFDocument from 'pdfkit';
import type { LotReport, TraceResult } from '../model';
import {
  formatActor,
  formatEquipment,
  formatHold,
  formatParameters,
  formatQuantity,
  lotHeaderFields,
  recallSummary,
} from './format';
import { extractDispositions, extractTimelineFacts, type TimelineFact } from './timeline-facts';

export interface LotReportPdfOptions {
  /** Deflate the page streams (default true); tests turn it off to read the text. */
  readonly compress?: boolean;
}

type Doc = PDFKit.PDFDocument;

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const OUT_OF_SPEC = '#b00020';
const MUTED = '#555555';

/**
 * The report as an A4 PDF: lot header, genealogy both ways, timeline with people, equipment,
 * parameters and measurements (out-of-spec rows in red), holds, dispositions, shipments and the
 * recall summary, with page numbers. The same report gives the same bytes: the creation date is
 * `report.generatedAt` and pdfkit derives the file ID from the document info.
 */
export function renderLotReportPdf(
  report: LotReport,
  options: LotReportPdfOptions = {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    bufferPages: true,
    compress: options.compress ?? true,
    info: {
      Title: `Lot report ${report.lot.lotId}`,
      Subject: 'Lot genealogy, timeline and recall scope',
      Creator: 'Threadline',
      CreationDate: new Date(report.generatedAt),
    },
  });
  const done = collect(doc);
  writeReport(doc, report);
  numberPages(doc);
  doc.end();
  return done;
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function writeReport(doc: Doc, report: LotReport): void {
  const { lot, recall } = report;
  doc.font(BOLD).fontSize(18).text(`Lot report ${lot.lotId}`);
  doc.font(FONT).fontSize(9).fillColor(MUTED);
  doc.text(`Generated ${report.generatedAt} by Threadline`).fillColor('black').moveDown();

  heading(doc, 'Lot');
  table(
    doc,
    null,
    lotHeaderFields(lot).map(([label, value]) => [label, value || '-']),
    [130, '*'],
  );

  genealogy(doc, 'Genealogy backward (what went into the lot)', report.backward);
  genealogy(doc, 'Genealogy forward (where the lot went)', report.forward);

  heading(doc, 'Timeline');
  const facts = extractTimelineFacts(lot.timeline);
  if (facts.length === 0) line(doc, 'No events.');
  facts.forEach((fact) => timelineEntry(doc, fact));

  heading(doc, 'Holds');
  if (lot.holds.length === 0) line(doc, 'No holds.');
  lot.holds.forEach((hold) => line(doc, formatHold(hold)));

  heading(doc, 'Dispositions');
  const dispositions = extractDispositions(lot.timeline);
  if (dispositions.length === 0) line(doc, 'No dispositions.');
  dispositions.forEach((d) =>
    line(
      doc,
      `${d.ncrId}: ${d.disposition} at ${d.dispositionedAt} approved by ` +
        `${formatActor(d.approvedBy) || 'unknown'}: ${d.reason ?? 'no reason given'}`,
    ),
  );

  heading(doc, 'Shipments');
  table(
    doc,
    ['Shipment', 'Customer', 'Sales order', 'Lot', 'Quantity', 'Shipped at', 'Carrier'],
    recall.shipments.map((s) => [
      s.shipmentId,
      s.customerId,
      s.salesOrderId,
      s.lotId,
      formatQuantity(s.quantity),
      s.shippedAt,
      s.carrier ?? '-',
    ]),
    ['*', '*', '*', '*', '*', 105, '*'],
  );

  heading(doc, 'Recall summary');
  line(doc, recallSummary(recall));
}

function genealogy(doc: Doc, title: string, trace: TraceResult): void {
  heading(doc, title);
  table(
    doc,
    ['Lot', 'Depth', 'Material', 'Status'],
    trace.nodes.map((n) => [n.lotId, String(n.depth), n.materialId ?? '-', n.status ?? '-']),
  );
  table(
    doc,
    ['From lot', 'To lot', 'Order', 'Quantity consumed'],
    trace.edges.map((e) => [e.from, e.to, e.orderId, formatQuantity(e.quantity) || '-']),
  );
}

function timelineEntry(doc: Doc, fact: TimelineFact): void {
  keepTogether(doc, 60);
  doc.font(BOLD).fontSize(9).text(`${fact.time}  ${fact.type}`);
  doc.font(FONT).text(fact.inspection ? headerOf(fact) : fact.detail, { indent: 12 });
  const facts: [string, string][] = [
    ['Lots', fact.lotIds.join(', ')],
    ['Order', fact.orderId ?? ''],
    [fact.actor ? capitalise(fact.actor.role) : 'Actor', formatActor(fact.actor)],
    ['Equipment', formatEquipment(fact.equipment)],
    ['Parameters', formatParameters(fact.parameters)],
  ];
  facts
    .filter(([, value]) => value !== '')
    .forEach(([label, value]) => doc.text(`${label}: ${value}`, { indent: 12 }));
  const measurements = fact.inspection?.measurements ?? [];
  if (measurements.length > 0) {
    table(
      doc,
      ['Characteristic', 'Value', 'Unit', 'LSL', 'USL', 'Target', 'Status'],
      measurements.map((m) => [
        m.characteristic,
        String(m.value),
        m.unit,
        optional(m.lsl),
        optional(m.usl),
        optional(m.target),
        m.status === 'below-lsl' || m.status === 'above-usl'
          ? `OUT OF SPEC (${m.status})`
          : m.status,
      ]),
      ['*', 55, 55, 45, 45, 45, 120],
    );
  }
  doc.moveDown(0.5);
}

function headerOf(fact: TimelineFact): string {
  const inspection = fact.inspection;
  return inspection
    ? `Inspection ${inspection.inspectionLotId ?? '?'}: ${inspection.result ?? '?'} ` +
        `(${inspection.measurements.length} measurements, ${inspection.outOfSpec} out of spec)`
    : fact.detail;
}

function heading(doc: Doc, title: string): void {
  keepTogether(doc, 80);
  doc.moveDown(0.6).font(BOLD).fontSize(12).fillColor('black').text(title, doc.page.margins.left);
  doc.moveDown(0.2).font(FONT).fontSize(9);
}

function line(doc: Doc, content: string): void {
  doc.font(FONT).fontSize(9).text(content, doc.page.margins.left);
}

/** A bordered table; rows whose last cell says OUT OF SPEC are red. Empty: "None." */
function table(
  doc: Doc,
  header: string[] | null,
  rows: string[][],
  columns: (number | string)[] = [],
): void {
  if (rows.length === 0) {
    line(doc, 'None.');
    return;
  }
  const body = rows.map((cells) =>
    cells.map((text, index) =>
      cells[cells.length - 1]?.startsWith('OUT OF SPEC')
        ? { text, textColor: OUT_OF_SPEC, font: index === 0 ? { src: BOLD } : undefined }
        : { text },
    ),
  );
  const head = header
    ? [header.map((text) => ({ text, font: { src: BOLD }, type: 'TH' as const }))]
    : [];
  doc.font(FONT).fontSize(8);
  doc.table({
    position: { x: doc.page.margins.left },
    columnStyles: columns.length > 0 ? columns : undefined,
    defaultStyle: { border: 0.5, borderColor: '#999999', padding: [2, 4, 2, 4] },
    data: [...head, ...body],
  });
  doc.fillColor('black').moveDown(0.4).fontSize(9);
}

function numberPages(doc: Doc): void {
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index += 1) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(FONT).fontSize(8).fillColor(MUTED);
    doc.text(`Page ${index + 1} of ${count}`, 0, doc.page.height - 30, {
      width: doc.page.width,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}

/** A new page unless `height` points are left, so a heading is never alone at a page's foot. */
function keepTogether(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function optional(value: number | null): string {
  return value === null ? '-' : String(value);
}

function capitalise(role: string): string {
  return role.charAt(0).toUpperCase() + role.slice(1).replace('-', ' ');
}
