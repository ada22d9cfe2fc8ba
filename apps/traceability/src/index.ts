/** Public entry of the traceability service, for the all-in-one composition root (ADR 0006). */
export { TRACEABILITY_SERVICE, TraceabilityLifecycle } from './traceability.service';
export { GenealogyRecorder, GENEALOGY_EVENT_TYPES } from './genealogy/genealogy.recorder';
export { loadTraceabilityConfig, traceabilityConfig } from './config/traceability-config';
