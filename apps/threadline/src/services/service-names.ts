/**
 * The services `threadline serve` knows, by name, without loading them (the CLI lists them in
 * help and `dlq list` derives queue names from them). A unit test keeps this in step with
 * SERVICE_CATALOG.
 */
export const SERVICE_NAMES: readonly string[] = [
  'event-log',
  'connector-erp',
  'connector-mes',
  'connector-qms',
  'connector-cmms',
  'connector-plc',
  'traceability',
  'orchestrator',
  'gateway',
];
