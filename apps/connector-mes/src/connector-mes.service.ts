import { connectorService } from '@threadline/connector-sdk';
import { MesCommandsController } from './mes-commands.controller';
import { MES_REST_CONNECTOR } from './mes.connectors';

export const CONNECTOR_MES_SERVICE = connectorService({
  name: 'connector-mes',
  system: 'mes',
  description:
    'MES REST: confirmations, consumption, output and line events out; line stop and resume in',
  connectors: [MES_REST_CONNECTOR],
  controller: MesCommandsController,
});
