import { decodeCursor, pageAfter } from '../http/change-cursor';
import {
  headerValue,
  HttpError,
  HttpRouter,
  json,
  type SimRequest,
  type SimResponse,
} from '../http/http-router';
import { readLimit } from '../http/request-fields';
import { restError, type SystemApp } from '../http/simulator-server';
import type { SimulatorStore } from '../state/simulator-store';
import type { QmsService } from './qms.service';

const BASE = '/qms/api/v1';

function list<T extends { change_seq: number }>(records: T[], request: SimRequest): SimResponse {
  const page = pageAfter(
    records,
    (record) => record.change_seq,
    decodeCursor(request.query.get('cursor'), 'cursor'),
    readLimit(request.query),
  );
  return json(200, { data: page.items, next_cursor: page.nextCursor, has_more: page.hasMore });
}

/** POST that creates once per Idempotency-Key and replays the first answer afterwards. */
function idempotentCreate(
  store: SimulatorStore,
  scope: string,
  request: SimRequest,
  create: () => object,
): SimResponse {
  return store.idempotent('qms', scope, headerValue(request, 'idempotency-key'), () => ({
    status: 201,
    body: structuredClone(create()),
  }));
}

/** QMS REST: nonconformances and inspection lots, each list paged by a change cursor. */
export function createQmsApp(store: SimulatorStore, qms: QmsService): SystemApp {
  const router = new HttpRouter()
    .add('GET', `${BASE}/nonconformances`, (request) =>
      list(Object.values(store.state.qms.nonconformances), request),
    )
    .add('POST', `${BASE}/nonconformances`, (request) =>
      idempotentCreate(store, 'nonconformance', request, () => qms.raise(request.body)),
    )
    .add('GET', `${BASE}/nonconformances/:ncNumber`, (request) =>
      json(200, qms.findNonconformance(request.params.ncNumber)),
    )
    .add('POST', `${BASE}/nonconformances/:ncNumber/disposition`, (request) =>
      json(200, qms.disposition(request.params.ncNumber, request.body)),
    )
    .add('POST', `${BASE}/nonconformances/:ncNumber/close`, (request) =>
      json(200, qms.close(request.params.ncNumber, request.body)),
    )
    .add('GET', `${BASE}/inspection-lots`, (request) =>
      list(Object.values(store.state.qms.inspectionLots), request),
    )
    .add('POST', `${BASE}/inspection-lots`, (request) =>
      idempotentCreate(store, 'inspection-lot', request, () =>
        qms.createInspectionLot(request.body),
      ),
    )
    .add('GET', `${BASE}/inspection-lots/:lotNumber`, (request) => {
      const lot = store.state.qms.inspectionLots[request.params.lotNumber];
      if (!lot)
        throw new HttpError(
          404,
          'INSPECTION_LOT_NOT_FOUND',
          `Inspection lot ${request.params.lotNumber} does not exist`,
        );
      return json(200, lot);
    })
    .add('POST', `${BASE}/inspection-lots/:lotNumber/results`, (request) =>
      json(200, qms.recordResult(request.params.lotNumber, request.body)),
    );
  return { system: 'qms', prefix: '/qms/', router, renderError: restError };
}
