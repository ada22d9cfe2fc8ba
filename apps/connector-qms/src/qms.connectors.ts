import { restConnector, type ConnectorSpec } from '@threadline/connector-sdk';

/** QMS commands (EVENT-CATALOG §5) and the event each answers with. */
export const QMS_COMMANDS = {
  'qms.nonconformance.create': 'quality.nonconformance.raised',
  'qms.inspection.lot.create': 'quality.inspection.lot.created',
} as const;

/** QMS facts the connector relays. */
export const QMS_EVENTS = [
  'quality.nonconformance.raised',
  'quality.nonconformance.dispositioned',
  'quality.nonconformance.closed',
  'quality.inspection.lot.created',
  'quality.inspection.result.recorded',
  'quality.capa.opened',
] as const;

/** QMS REST and signed webhooks: the NC lifecycle and inspections out; NC and inspection lot requests in */
export const QMS_REST_CONNECTOR: ConnectorSpec = restConnector({
  adapter: 'qms-rest',
  system: 'qms',
  description:
    'QMS REST and signed webhooks: the NC lifecycle and inspections out; NC and inspection lot requests in',
  commands: QMS_COMMANDS,
  events: QMS_EVENTS,
  paging: {
    cursorParam: 'cursor',
    limitParam: 'limit',
    itemsField: 'data',
    nextCursorField: 'next_cursor',
    hasMoreField: 'has_more',
  },
  probePath: '/nonconformances?limit=1',
});
