import {
  headerValue,
  HttpError,
  HttpRouter,
  json,
  type SimRequest,
  type SimResponse,
} from '../http/http-router';
import { readLimit, requireObject, optionalString } from '../http/request-fields';
import { restError, type SystemApp } from '../http/simulator-server';
import type { SimulatorStore } from '../state/simulator-store';
import {
  completeWorkOrder,
  createWorkOrder,
  endDowntime,
  findByExternalReference,
  findWorkOrder,
  startDowntime,
} from './cmms.operations';

const BASE = '/cmms/api/v1';

/**
 * `?updatedSince=<ISO time>&limit=`: records changed strictly after the time, oldest first.
 * Change times never tie (the store's clock is strictly increasing), so passing the last item's
 * `updatedAt` back as `updatedSince` pages without gaps or repeats.
 */
function changedSince<T extends { updatedAt: string }>(
  records: T[],
  request: SimRequest,
): SimResponse {
  const since = request.query.get('updatedSince');
  const sinceMs = since === null ? -Infinity : Date.parse(since);
  if (Number.isNaN(sinceMs)) {
    throw new HttpError(400, 'INVALID_QUERY', "Query 'updatedSince' must be an ISO 8601 date-time");
  }
  const limit = readLimit(request.query);
  const newer = records
    .filter((record) => Date.parse(record.updatedAt) > sinceMs)
    .sort((left, right) => Date.parse(left.updatedAt) - Date.parse(right.updatedAt));
  const items = newer.slice(0, limit);
  return json(200, {
    items,
    nextUpdatedSince: items.at(-1)?.updatedAt ?? since,
    moreAvailable: newer.length > limit,
  });
}

/** Create once per external reference (check-before-create) and per Idempotency-Key. */
function create(store: SimulatorStore, request: SimRequest): SimResponse {
  const reference = optionalString(requireObject(request.body), 'externalReference');
  const existing = findByExternalReference(store, reference);
  if (existing) return json(200, existing);
  return store.idempotent('cmms', 'work-order', headerValue(request, 'idempotency-key'), () => ({
    status: 201,
    body: structuredClone(createWorkOrder(store, request.body)),
  }));
}

/** CMMS REST (Maximo-like naming): work orders and downtime records. */
export function createCmmsApp(store: SimulatorStore): SystemApp {
  const router = new HttpRouter()
    .add('GET', `${BASE}/work-orders`, (request) =>
      changedSince(Object.values(store.state.cmms.workOrders), request),
    )
    .add('POST', `${BASE}/work-orders`, (request) => create(store, request))
    .add('GET', `${BASE}/work-orders/:workOrderNumber`, (request) =>
      json(200, findWorkOrder(store, request.params.workOrderNumber)),
    )
    .add('POST', `${BASE}/work-orders/:workOrderNumber/complete`, (request) =>
      json(200, completeWorkOrder(store, request.params.workOrderNumber, request.body)),
    )
    .add('GET', `${BASE}/downtime-records`, (request) =>
      changedSince(Object.values(store.state.cmms.downtimeRecords), request),
    )
    .add('POST', `${BASE}/downtime-records`, (request) =>
      json(201, startDowntime(store, request.body)),
    )
    .add('POST', `${BASE}/downtime-records/:downtimeId/end`, (request) =>
      json(200, endDowntime(store, request.params.downtimeId)),
    );
  return { system: 'cmms', prefix: '/cmms/', router, renderError: restError };
}
