import { HttpError, type HttpRouter } from '../http/http-router';
import type { ErpMaterialDocumentItem, ErpProductionOrder } from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';
import { withCsrf } from './erp-csrf';
import {
  applyQueryOptions,
  odataCollection,
  toODataEntity,
  type EntityDescriptor,
} from './odata.helpers';

const MATERIAL_DOCUMENT_SERVICE = '/sap/opu/odata/sap/API_MATERIAL_DOCUMENT_SRV';
const PRODUCTION_ORDER_SERVICE = '/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV';

const materialDocumentItem: EntityDescriptor<ErpMaterialDocumentItem> = {
  type: 'API_MATERIAL_DOCUMENT_SRV.A_MaterialDocumentItemType',
  serviceRoot: MATERIAL_DOCUMENT_SERVICE,
  entitySet: 'A_MaterialDocumentItem',
  key: (item) =>
    `${item.MaterialDocument}-${item.MaterialDocumentYear}-${item.MaterialDocumentItem}`,
  lastChange: (item) => item.LastChangeDateTime,
  dateFields: ['PostingDate', 'LastChangeDateTime'],
};

const productionOrder: EntityDescriptor<ErpProductionOrder> = {
  type: 'API_PRODUCTION_ORDER_2_SRV.A_ProductionOrder_2Type',
  serviceRoot: PRODUCTION_ORDER_SERVICE,
  entitySet: 'A_ProductionOrder_2',
  key: (order) => order.ManufacturingOrder,
  lastChange: (order) => order.LastChangeDateTime,
  dateFields: ['MfgOrderPlannedStartDateTime', 'LastChangeDateTime'],
};

const escape = (path: string) => path.replace(/\//g, '\\/');

/** Read-only change feeds: goods movements and production orders, polled with `$filter`. */
export function registerErpReadRoutes(router: HttpRouter, store: SimulatorStore): void {
  router
    .add(
      'GET',
      new RegExp(`^${escape(MATERIAL_DOCUMENT_SERVICE)}\\/A_MaterialDocumentItem$`),
      withCsrf(store, (request) => {
        const { page, total } = applyQueryOptions(
          store.state.erp.materialDocumentItems,
          request.query,
        );
        return odataCollection(
          page.map((item) => toODataEntity(item, materialDocumentItem)),
          total,
          request.query,
        );
      }),
    )
    .add(
      'GET',
      new RegExp(`^${escape(PRODUCTION_ORDER_SERVICE)}\\/A_ProductionOrder_2$`),
      withCsrf(store, (request) => {
        const orders = Object.values(store.state.erp.productionOrders);
        const { page, total } = applyQueryOptions(orders, request.query);
        return odataCollection(
          page.map((order) => toODataEntity(order, productionOrder)),
          total,
          request.query,
        );
      }),
    )
    .add(
      'GET',
      new RegExp(
        `^${escape(PRODUCTION_ORDER_SERVICE)}\\/A_ProductionOrder_2\\('(?<order>[^']+)'\\)$`,
      ),
      withCsrf(store, (request) => {
        const order = store.state.erp.productionOrders[request.params.order];
        if (!order)
          throw new HttpError(
            404,
            'RESOURCE_NOT_FOUND',
            `Production order ${request.params.order} not found`,
          );
        return { status: 200, body: { d: toODataEntity(order, productionOrder) } };
      }),
    );
}
