import { connectorService } from '@threadline/connector-sdk';
import { ErpCommandsController } from './erp-commands.controller';
import { GENERIC_REST_ERP_CONNECTOR, SAP_ODATA_V2_CONNECTOR } from './erp.connectors';

export const CONNECTOR_ERP_SERVICE = connectorService({
  name: 'connector-erp',
  system: 'erp',
  description: 'ERP: inventory holds in, ERP facts (receipts, orders, shipments, holds) out',
  connectors: [SAP_ODATA_V2_CONNECTOR, GENERIC_REST_ERP_CONNECTOR],
  controller: ErpCommandsController,
});
