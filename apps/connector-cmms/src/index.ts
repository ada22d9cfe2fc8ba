/** Public entry of the CMMS connector, for the all-in-one composition root (ADR 0006). */
export { CONNECTOR_CMMS_SERVICE } from './connector-cmms.service';
export { CMMS_COMMANDS, CMMS_EVENTS, CMMS_REST_CONNECTOR } from './cmms.connectors';
