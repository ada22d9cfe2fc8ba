import { restConnector, type ConnectorSpec } from '@threadline/connector-sdk';

/** CMMS commands (EVENT-CATALOG §5) and the event each answers with. */
export const CMMS_COMMANDS = {
  'cmms.workorder.create': 'maintenance.workorder.created',
} as const;

/** CMMS facts the connector relays. */
export const CMMS_EVENTS = [
  'maintenance.workorder.created',
  'maintenance.workorder.completed',
  'equipment.downtime.started',
  'equipment.downtime.ended',
] as const;

/** CMMS REST (Maximo-like): work order requests in; new and completed work orders and downtime out */
export const CMMS_REST_CONNECTOR: ConnectorSpec = restConnector({
  adapter: 'cmms-rest',
  system: 'cmms',
  description:
    'CMMS REST (Maximo-like): work order requests in; new and completed work orders and downtime out',
  commands: CMMS_COMMANDS,
  events: CMMS_EVENTS,
  paging: {
    cursorParam: 'updatedSince',
    limitParam: 'limit',
    itemsField: 'items',
    nextCursorField: 'nextUpdatedSince',
    hasMoreField: 'moreAvailable',
  },
  probePath: '/work-orders?limit=1',
});
