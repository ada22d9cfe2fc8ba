import { connectorService } from '@threadline/connector-sdk';
import { QmsCommandsController } from './qms-commands.controller';
import { QMS_REST_CONNECTOR } from './qms.connectors';

export const CONNECTOR_QMS_SERVICE = connectorService({
  name: 'connector-qms',
  system: 'qms',
  description:
    'QMS REST and signed webhooks: the NC lifecycle and inspections out; NC and inspection lot requests in',
  connectors: [QMS_REST_CONNECTOR],
  controller: QmsCommandsController,
});
