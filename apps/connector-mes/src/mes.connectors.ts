import { restConnector, type ConnectorSpec } from '@threadline/connector-sdk';

/** MES commands (EVENT-CATALOG §5) and the event each answers with. */
export const MES_COMMANDS = {
  'mes.line.stop': 'equipment.downtime.started',
  'mes.line.resume': 'equipment.downtime.ended',
} as const;

/** MES facts the connector relays. */
export const MES_EVENTS = [
  'production.operation.completed',
  'production.material.consumed',
  'production.output.declared',
  'production.order.completed',
  'equipment.downtime.started',
  'equipment.downtime.ended',
] as const;

/** MES REST: confirmations, consumption, output and line events out; line stop and resume in */
export const MES_REST_CONNECTOR: ConnectorSpec = restConnector({
  adapter: 'mes-rest',
  system: 'mes',
  description:
    'MES REST: confirmations, consumption, output and line events out; line stop and resume in',
  commands: MES_COMMANDS,
  events: MES_EVENTS,
  paging: {
    cursorParam: 'since',
    limitParam: 'limit',
    itemsField: 'items',
    nextCursorField: 'nextCursor',
    hasMoreField: 'hasMore',
  },
  probePath: '/lines',
});
