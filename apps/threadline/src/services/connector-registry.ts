import { CMMS_REST_CONNECTOR } from '@threadline/app-connector-cmms';
import { GENERIC_REST_ERP_CONNECTOR, SAP_ODATA_V2_CONNECTOR } from '@threadline/app-connector-erp';
import { MES_REST_CONNECTOR } from '@threadline/app-connector-mes';
import { PLC_CONNECTOR } from '@threadline/app-connector-plc';
import { QMS_REST_CONNECTOR } from '@threadline/app-connector-qms';
import { ConnectorRegistry } from '@threadline/connector-sdk';

/** Every connector adapter this build knows, by the name configurations give in spec.adapter. */
export const CONNECTOR_REGISTRY = new ConnectorRegistry([
  SAP_ODATA_V2_CONNECTOR,
  GENERIC_REST_ERP_CONNECTOR,
  MES_REST_CONNECTOR,
  QMS_REST_CONNECTOR,
  CMMS_REST_CONNECTOR,
  PLC_CONNECTOR,
]);
