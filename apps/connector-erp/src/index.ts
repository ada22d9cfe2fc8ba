/** Public entry of the ERP connector, for the all-in-one composition root (ADR 0006). */
export { CONNECTOR_ERP_SERVICE } from './connector-erp.service';
export {
  ERP_COMMANDS,
  ERP_EVENTS,
  GENERIC_REST_ERP_CONNECTOR,
  SAP_ODATA_V2_CONNECTOR,
} from './erp.connectors';
