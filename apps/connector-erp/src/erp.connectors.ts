import {
  DEFAULT_CIRCUIT_BREAKER,
  DEFAULT_RETRY,
  restConnector,
  type ConnectorSpec,
} from '@threadline/connector-sdk';
import { SapODataAdapter, type SapODataOptions } from './sap/sap-odata.adapter';
import { SapODataClient } from './sap/sap-odata.client';

/** ERP commands (EVENT-CATALOG §5) and the event each answers with. */
export const ERP_COMMANDS = {
  'erp.inventory.hold.place': 'inventory.hold.placed',
  'erp.inventory.hold.release': 'inventory.hold.released',
} as const;

/** ERP facts a connector may relay. */
export const ERP_EVENTS = [
  'inventory.hold.placed',
  'inventory.hold.released',
  'inventory.lot.status.changed',
  'material.lot.received',
  'production.order.released',
  'production.material.consumed',
  'shipment.dispatched',
  'masterdata.material.upserted',
  'masterdata.asset.upserted',
  'masterdata.supplier.upserted',
] as const;

export const SAP_ODATA_V2_CONNECTOR: ConnectorSpec = {
  adapter: 'sap-odata-v2',
  system: 'erp',
  description: 'SAP S/4HANA-style OData v2: CSRF tokens, ETag/If-Match, $filter on change times',
  commands: ERP_COMMANDS,
  events: ERP_EVENTS,
  retry: DEFAULT_RETRY,
  circuitBreaker: DEFAULT_CIRCUIT_BREAKER,
  probePath: '/',
  checkOptions: (options) => {
    const { externalReferenceField, ...unknown } = options;
    return [
      ...(externalReferenceField === undefined || typeof externalReferenceField === 'string'
        ? []
        : ['externalReferenceField must be a field name']),
      ...Object.keys(unknown).map((key) => `${key} is not an option of sap-odata-v2`),
    ];
  },
  create: ({ config, http }) => {
    const options: SapODataOptions = {
      externalReferenceField:
        (config.spec.options?.externalReferenceField as string | undefined) ?? 'ExternalReference',
    };
    return new SapODataAdapter(new SapODataClient(http), options);
  },
};

/** Any ERP with a REST API, driven only by configuration and mappings. */
export const GENERIC_REST_ERP_CONNECTOR: ConnectorSpec = restConnector({
  adapter: 'generic-rest',
  system: 'erp',
  description: 'an ERP REST API driven only by configuration and JSONata mappings',
  commands: ERP_COMMANDS,
  events: ERP_EVENTS,
  paging: {
    cursorParam: 'since',
    limitParam: 'limit',
    itemsField: 'items',
    nextCursorField: 'nextCursor',
    hasMoreField: 'hasMore',
  },
  probePath: '/',
});
