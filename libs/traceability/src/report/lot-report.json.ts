import type { HoldView, LotReport, LotView, RecallScope, TraceResult } from '../model';
import {
  extractDispositions,
  extractTimelineFacts,
  type DispositionFact,
  type TimelineFact,
} from './timeline-facts';

export const LOT_REPORT_FORMAT = 'threadline.lot-report';
export const LOT_REPORT_VERSION = 1;

/** The lot's own fields, without its holds and timeline (those have sections of their own). */
export type LotHeader = Omit<LotView, 'holds' | 'timeline'>;

export interface TimelineRecord extends TimelineFact {
  /** The event's payload as received, as evidence behind the facts. */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface RecallSummary extends RecallScope {
  readonly affectedLotCount: number;
  readonly onHandCount: number;
  readonly shipmentCount: number;
  readonly customerCount: number;
}

/** The audit JSON of one lot: stable field order, facts pulled out of every timeline payload. */
export interface LotReportJson {
  readonly format: typeof LOT_REPORT_FORMAT;
  readonly version: typeof LOT_REPORT_VERSION;
  readonly generatedAt: string;
  readonly lot: LotHeader;
  readonly genealogy: { readonly backward: TraceResult; readonly forward: TraceResult };
  readonly timeline: readonly TimelineRecord[];
  readonly holds: readonly HoldView[];
  readonly dispositions: readonly DispositionFact[];
  readonly recall: RecallSummary;
}

/**
 * The report as audit JSON: the lot header, both genealogy directions, the timeline oldest first
 * with operator/inspector, equipment, parameters and measurements (each flagged against its
 * limits) extracted, holds, dispositions and the recall scope with its counts.
 */
export function renderLotReportJson(report: LotReport): LotReportJson {
  const { holds, timeline, ...lot } = report.lot;
  const data = new Map(timeline.map((entry) => [entry.eventId, entry.data]));
  const recall = report.recall;
  return {
    format: LOT_REPORT_FORMAT,
    version: LOT_REPORT_VERSION,
    generatedAt: report.generatedAt,
    lot,
    genealogy: { backward: report.backward, forward: report.forward },
    timeline: extractTimelineFacts(timeline).map((fact) => ({
      ...fact,
      data: data.get(fact.eventId) ?? {},
    })),
    holds,
    dispositions: extractDispositions(timeline),
    recall: {
      ...recall,
      affectedLotCount: recall.affectedLots.length,
      onHandCount: recall.onHand.length,
      shipmentCount: new Set(recall.shipments.map((shipment) => shipment.shipmentId)).size,
      customerCount: recall.customers.length,
    },
  };
}
