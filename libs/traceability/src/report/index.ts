export { csvCell, toCsv } from './csv';
export { LOT_REPORT_CSV_COLUMNS, renderLotReportCsv } from './lot-report.csv';
export {
  LOT_REPORT_FORMAT,
  LOT_REPORT_VERSION,
  renderLotReportJson,
  type LotHeader,
  type LotReportJson,
  type RecallSummary,
  type TimelineRecord,
} from './lot-report.json';
export { renderLotReportPdf, type LotReportPdfOptions } from './lot-report.pdf';
export {
  extractDispositions,
  extractTimelineFact,
  extractTimelineFacts,
  specStatus,
  type ActorFact,
  type ActorRole,
  type DispositionFact,
  type EquipmentFact,
  type InspectionFact,
  type MeasurementFact,
  type SpecStatus,
  type TimelineFact,
} from './timeline-facts';
