import { HttpRouter } from '../http/http-router';
import type { SystemApp } from '../http/simulator-server';
import type { SimulatorStore } from '../state/simulator-store';
import { registerBatchStockRoutes } from './erp-batch-stock.routes';
import { registerErpReadRoutes } from './erp-reads.routes';
import { odataError } from './odata.helpers';

/** SAP S/4HANA-style OData v2 services under `/sap/opu/odata/sap/`. */
export function createErpApp(store: SimulatorStore): SystemApp {
  const router = new HttpRouter();
  registerBatchStockRoutes(router, store);
  registerErpReadRoutes(router, store);
  return {
    system: 'erp',
    prefix: '/sap/opu/odata/',
    router,
    renderError: odataError,
    allowsMethodOverride: true,
  };
}
