/** Public entry of the QMS connector, for the all-in-one composition root (ADR 0006). */
export { CONNECTOR_QMS_SERVICE } from './connector-qms.service';
export { QMS_COMMANDS, QMS_EVENTS, QMS_REST_CONNECTOR } from './qms.connectors';
