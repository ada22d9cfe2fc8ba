import type { LotReport, Quantity, ShipmentRef } from '../model';
import { text } from '../report/payload';
import {
  inspectionEvent,
  receiptEvent,
  shipmentEvent,
  THREADLINE_VOCABULARY,
  type EpcisEvent,
  type EventContext,
} from './epcis-events';
import { transformationEvents } from './epcis-transformations';
import {
  EpcisOptionsError,
  lotIdentifiers,
  uomCode,
  type LotIdentifierOptions,
} from './lot-identifiers';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';

export interface EpcisExportOptions extends LotIdentifierOptions {
  /** Offset written for times stored in UTC, e.g. the plant's `+02:00` (default `+00:00`). */
  readonly timeZoneOffset?: string;
  /** Units to UN/CEFACT codes, before the built-in table (e.g. `{ bag: 'BG' }`). */
  readonly uomCodes?: Readonly<Record<string, string>>;
  /** The document's creationDate (default: the report's generatedAt). */
  readonly creationDate?: string;
}

export interface EpcisDocument {
  readonly '@context': readonly [typeof EPCIS_CONTEXT, typeof THREADLINE_VOCABULARY];
  readonly type: 'EPCISDocument';
  readonly schemaVersion: '2.0';
  readonly creationDate: string;
  readonly epcisBody: { readonly eventList: readonly EpcisEvent[] };
}

export interface EpcisExport {
  readonly document: EpcisDocument;
  /** Orders of the genealogy left out because the lot's timeline gives them no time. */
  readonly omittedOrders: readonly string[];
}

const OFFSET = /^[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)$/;

/**
 * The lot's report as an EPCIS 2.0 JSON-LD document (docs/epcis.md): ObjectEvents for receipts
 * (receiving), inspection results (inspecting) and shipments (shipping), and a
 * TransformationEvent per production order of the genealogy, oldest first. Every eventID is
 * derived from the Threadline event or the event's content, so the same report exports the same
 * document.
 */
export function buildEpcisDocument(
  report: LotReport,
  options: EpcisExportOptions = {},
): EpcisDocument {
  return buildEpcisExport(report, options).document;
}

/** {@link buildEpcisDocument}, also saying which orders had to be left out. */
export function buildEpcisExport(report: LotReport, options: EpcisExportOptions = {}): EpcisExport {
  const context = eventContext(report, options);
  const timeline = report.lot.timeline;
  const byType = (type: string) => timeline.filter((entry) => entry.type === type);
  const transformations = transformationEvents(context, report);
  const events: EpcisEvent[] = [
    ...byType('material.lot.received').flatMap((entry) => receiptEvent(context, entry) ?? []),
    ...transformations.events,
    ...byType('quality.inspection.result.recorded').flatMap(
      (entry) => inspectionEvent(context, entry) ?? [],
    ),
    ...groupBy(report.recall.shipments, (line) => line.shipmentId).map((lines) =>
      shipmentEvent(context, lines),
    ),
  ];
  return {
    document: {
      '@context': [EPCIS_CONTEXT, THREADLINE_VOCABULARY],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: options.creationDate ?? report.generatedAt,
      epcisBody: { eventList: sortByTime(events) },
    },
    omittedOrders: transformations.omitted,
  };
}

function eventContext(report: LotReport, options: EpcisExportOptions): EventContext {
  const defaultOffset = options.timeZoneOffset ?? '+00:00';
  if (!OFFSET.test(defaultOffset)) {
    throw new EpcisOptionsError('timeZoneOffset', "must be '+hh:mm' or '-hh:mm' within ±14:00");
  }
  const materials = materialsOf(report);
  return {
    ids: lotIdentifiers(options),
    plant: report.lot.plant,
    materialOf: (lotId) => materials.get(lotId) ?? null,
    amount: (amount: Quantity | null) => {
      const uom = amount ? uomCode(amount.uom, options.uomCodes) : null;
      return amount && uom ? { quantity: amount.value, uom } : {};
    },
    timeOf: (time, fallback) => {
      const source = time !== null && !Number.isNaN(Date.parse(time)) ? time : fallback;
      const offset = /([+-]\d{2}:\d{2})$/.exec(source)?.[1];
      return {
        eventTime: new Date(source).toISOString(),
        eventTimeZoneOffset: offset === undefined || offset === '-00:00' ? defaultOffset : offset,
      };
    },
  };
}

/** Every lot's material as the trace nodes, the lot view and the payloads give it. */
function materialsOf(report: LotReport): Map<string, string | null> {
  const materials = new Map<string, string | null>();
  const learn = (lotId: string | null, materialId: string | null) => {
    if (lotId !== null && materialId !== null && !materials.get(lotId))
      materials.set(lotId, materialId);
  };
  [...report.backward.nodes, ...report.forward.nodes].forEach((n) => learn(n.lotId, n.materialId));
  learn(report.lot.lotId, report.lot.materialId);
  for (const { data } of report.lot.timeline) {
    learn(text(data, 'lotId') ?? text(data, 'outputLotId'), text(data, 'materialId'));
  }
  return materials;
}

function groupBy(
  lines: readonly ShipmentRef[],
  key: (line: ShipmentRef) => string,
): ShipmentRef[][] {
  const groups = new Map<string, ShipmentRef[]>();
  for (const line of lines) groups.set(key(line), [...(groups.get(key(line)) ?? []), line]);
  return [...groups.values()];
}

/** Oldest first; events at the same instant keep their order (receipt, production, ...). */
function sortByTime(events: EpcisEvent[]): EpcisEvent[] {
  return events
    .map((event, index) => ({ event, index, at: Date.parse(event.eventTime) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ event }) => event);
}
