export {
  buildEpcisDocument,
  buildEpcisExport,
  EPCIS_CONTEXT,
  type EpcisDocument,
  type EpcisExport,
  type EpcisExportOptions,
} from './epcis-document';
export {
  THREADLINE_VOCABULARY,
  type EpcisEvent,
  type EpcisObjectEvent,
  type EpcisTransformationEvent,
  type QuantityElement,
} from './epcis-events';
export {
  DEFAULT_NAMESPACE as EPCIS_DEFAULT_NAMESPACE,
  EpcisOptionsError,
  eventId as epcisEventId,
  lotIdentifiers,
  UOM_CODES,
  uomCode,
  type LotIdentifierOptions,
  type LotIdentifiers,
  type PrivateKind,
} from './lot-identifiers';
