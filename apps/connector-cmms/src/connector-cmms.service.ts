import { connectorService } from '@threadline/connector-sdk';
import { CmmsCommandsController } from './cmms-commands.controller';
import { CMMS_REST_CONNECTOR } from './cmms.connectors';

export const CONNECTOR_CMMS_SERVICE = connectorService({
  name: 'connector-cmms',
  system: 'cmms',
  description:
    'CMMS REST (Maximo-like): work order requests in; new and completed work orders and downtime out',
  connectors: [CMMS_REST_CONNECTOR],
  controller: CmmsCommandsController,
});
