import {
  headerValue,
  HttpError,
  type HttpRouter,
  type SimRequest,
  type SimResponse,
} from '../http/http-router';
import {
  optionalString,
  requireObject,
  requiredString,
  type JsonObject,
} from '../http/request-fields';
import type { ErpBatchHold, ErpBatchStock } from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';
import { withCsrf } from './erp-csrf';
import { placeHold, releaseHold } from './erp.operations';
import {
  applyQueryOptions,
  etagFor,
  odataCollection,
  toODataEntity,
  type EntityDescriptor,
} from './odata.helpers';

export const BATCH_STOCK_SERVICE = '/sap/opu/odata/sap/ZTL_BATCH_STOCK_SRV';

const stockDescriptor: EntityDescriptor<ErpBatchStock> = {
  type: 'ZTL_BATCH_STOCK_SRV.BatchStock',
  serviceRoot: BATCH_STOCK_SERVICE,
  entitySet: 'BatchStockSet',
  key: (stock) => stock.Batch,
  lastChange: (stock) => stock.LastChangeDateTime,
  dateFields: ['LastChangeDateTime'],
};

const holdDescriptor: EntityDescriptor<ErpBatchHold> = {
  type: 'ZTL_BATCH_STOCK_SRV.BatchHold',
  serviceRoot: BATCH_STOCK_SERVICE,
  entitySet: 'BatchHoldSet',
  key: (hold) => hold.HoldId,
  lastChange: (hold) => hold.LastChangeDateTime,
  dateFields: ['CreationDateTime', 'ReleaseDateTime', 'LastChangeDateTime'],
};

/** Holds render their batches as an OData deep `to_Item` navigation, as SAP would. */
function renderHold(hold: ErpBatchHold): object {
  const { Batches, ...header } = hold;
  return {
    ...toODataEntity(header as ErpBatchHold, holdDescriptor),
    to_Item: { results: Batches.map((Batch) => ({ HoldId: hold.HoldId, Batch })) },
  };
}

function entityResponse(status: number, rendered: object, lastChange: string): SimResponse {
  return { status, headers: { etag: etagFor(lastChange) }, body: { d: rendered } };
}

/** Accepts `to_Item: { results: [{ Batch }] }` (OData v2 deep insert) or `to_Item: [{ Batch }]`. */
function readBatches(body: JsonObject): string[] {
  const items = body.to_Item as { results?: unknown } | unknown[] | undefined;
  const list = Array.isArray(items) ? items : items?.results;
  if (!Array.isArray(list) || list.length === 0) {
    throw new HttpError(400, 'INVALID_FIELD', "Field 'to_Item' must list at least one { Batch }");
  }
  return list.map((item, index) =>
    requiredString(requireObject(item, `to_Item[${index}]`), 'Batch'),
  );
}

function findHold(store: SimulatorStore, holdId: string): ErpBatchHold {
  const hold = store.state.erp.holds[holdId];
  if (!hold)
    throw new HttpError(404, 'RESOURCE_NOT_FOUND', `Resource BatchHold('${holdId}') not found`);
  return hold;
}

function createHold(store: SimulatorStore, request: SimRequest): SimResponse {
  const body = requireObject(request.body);
  const externalReference = optionalString(body, 'ExternalReference') ?? '';
  const key = headerValue(request, 'idempotency-key');
  // Check-before-create: the same external reference never makes a second hold.
  const existing = externalReference
    ? Object.values(store.state.erp.holds).find(
        (hold) => hold.ExternalReference === externalReference,
      )
    : undefined;
  if (existing) return entityResponse(201, renderHold(existing), existing.LastChangeDateTime);
  return store.idempotent('erp', 'hold', key, () => {
    const hold = placeHold(store, {
      batches: readBatches(body),
      reason: requiredString(body, 'Reason'),
      externalReference,
      createdBy: optionalString(body, 'CreatedBy') ?? 'THREADLINE',
      plant: optionalString(body, 'Plant') ?? '1000',
    });
    return entityResponse(201, renderHold(hold), hold.LastChangeDateTime);
  });
}

/** Updates need `If-Match` with the current ETag: 428 without one, 412 when stale. */
function updateHold(store: SimulatorStore, request: SimRequest): SimResponse {
  const hold = findHold(store, request.params.holdId);
  const ifMatch = headerValue(request, 'if-match');
  if (!ifMatch)
    throw new HttpError(428, 'PRECONDITION_REQUIRED', 'If-Match header is required for updates');
  if (ifMatch !== '*' && ifMatch !== etagFor(hold.LastChangeDateTime)) {
    throw new HttpError(
      412,
      'PRECONDITION_FAILED',
      'The entity was changed by another request (ETag mismatch)',
    );
  }
  const body = requireObject(request.body);
  const status = optionalString(body, 'HoldStatus');
  if (status === 'RELEASED') {
    releaseHold(
      store,
      hold,
      optionalString(body, 'ReleasedBy') ?? 'THREADLINE',
      optionalString(body, 'ReleaseReason') ?? '',
    );
  } else if (status !== undefined && status !== hold.HoldStatus) {
    throw new HttpError(400, 'INVALID_FIELD', "Field 'HoldStatus' can only be changed to RELEASED");
  }
  const reason = optionalString(body, 'Reason');
  if (reason !== undefined && reason !== hold.Reason) {
    hold.Reason = reason;
    hold.LastChangeDateTime = store.now();
  }
  return { status: 204, headers: { etag: etagFor(hold.LastChangeDateTime) } };
}

function listStocks(store: SimulatorStore, request: SimRequest): SimResponse {
  const stocks = Object.values(store.state.erp.batchStocks);
  const { page, total } = applyQueryOptions(stocks, request.query);
  const rendered = page.map((stock) => toODataEntity(stock, stockDescriptor));
  return odataCollection(rendered, total, request.query);
}

function readStock(store: SimulatorStore, request: SimRequest): SimResponse {
  const stock = store.state.erp.batchStocks[request.params.batch];
  if (!stock) {
    throw new HttpError(404, 'RESOURCE_NOT_FOUND', `Batch ${request.params.batch} not found`);
  }
  return entityResponse(200, toODataEntity(stock, stockDescriptor), stock.LastChangeDateTime);
}

function listHolds(store: SimulatorStore, request: SimRequest): SimResponse {
  const { page, total } = applyQueryOptions(Object.values(store.state.erp.holds), request.query);
  return odataCollection(page.map(renderHold), total, request.query);
}

function readHold(store: SimulatorStore, request: SimRequest): SimResponse {
  const hold = findHold(store, request.params.holdId);
  return entityResponse(200, renderHold(hold), hold.LastChangeDateTime);
}

const serviceDocument: SimResponse = {
  status: 200,
  body: { d: { EntitySets: ['BatchStockSet', 'BatchHoldSet'] } },
};

/** Every route goes through the CSRF check: GETs can fetch a token, writes must present one. */
export function registerBatchStockRoutes(router: HttpRouter, store: SimulatorStore): void {
  const base = BATCH_STOCK_SERVICE.replace(/\//g, '\\/');
  const route = (suffix: string) => new RegExp(`^${base}${suffix}$`);
  const guarded = (handler: (store: SimulatorStore, request: SimRequest) => SimResponse) =>
    withCsrf(store, (request) => handler(store, request));
  const holdEntity = route("\\/BatchHoldSet\\('(?<holdId>[^']+)'\\)");
  router
    .add(
      'GET',
      route('\\/?'),
      guarded(() => serviceDocument),
    )
    .add('GET', route('\\/BatchStockSet'), guarded(listStocks))
    .add('GET', route("\\/BatchStockSet\\('(?<batch>[^']+)'\\)"), guarded(readStock))
    .add('GET', route('\\/BatchHoldSet'), guarded(listHolds))
    .add('POST', route('\\/BatchHoldSet'), guarded(createHold))
    .add('GET', holdEntity, guarded(readHold))
    .add(['PATCH', 'PUT', 'MERGE'], holdEntity, guarded(updateHold));
}
