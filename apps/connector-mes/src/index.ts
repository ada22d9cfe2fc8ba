/** Public entry of the MES connector, for the all-in-one composition root (ADR 0006). */
export { CONNECTOR_MES_SERVICE } from './connector-mes.service';
export { MES_COMMANDS, MES_EVENTS, MES_REST_CONNECTOR } from './mes.connectors';
