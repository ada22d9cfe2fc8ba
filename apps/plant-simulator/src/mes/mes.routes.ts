import { decodeCursor, pageAfter } from '../http/change-cursor';
import {
  headerValue,
  json,
  HttpRouter,
  type SimRequest,
  type SimResponse,
} from '../http/http-router';
import { optionalString, readLimit, requireObject, requiredString } from '../http/request-fields';
import { restError, type SystemApp } from '../http/simulator-server';
import type { MesRecord } from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';
import { findLine, resumeLine, stopLine } from './mes.operations';

const BASE = '/mes/api/v1';

/** Cursor page without the internal sequence field. */
function feed<T extends MesRecord>(records: T[], request: SimRequest): SimResponse {
  const page = pageAfter(
    records,
    (record) => record.sequence,
    decodeCursor(request.query.get('since')),
    readLimit(request.query),
  );
  const items = page.items.map(({ sequence: _sequence, ...rest }) => rest);
  return json(200, { items, nextCursor: page.nextCursor, hasMore: page.hasMore });
}

function lineCommand(
  store: SimulatorStore,
  request: SimRequest,
  kind: 'stop' | 'resume',
): SimResponse {
  const lineId = request.params.lineId;
  const key = headerValue(request, 'idempotency-key');
  return store.idempotent('mes', `line-${kind}:${lineId}`, key, () => {
    const body = requireObject(request.body ?? {});
    const reason = requiredString(body, 'reason');
    const line =
      kind === 'stop'
        ? stopLine(store, lineId, reason, optionalString(body, 'reference') ?? null)
        : resumeLine(store, lineId, reason);
    return { status: 200, body: { ...line } };
  });
}

/** MES REST: change feeds with opaque cursors, line state, stop and resume commands. */
export function createMesApp(store: SimulatorStore): SystemApp {
  const router = new HttpRouter()
    .add('GET', `${BASE}/confirmations`, (request) => feed(store.state.mes.confirmations, request))
    .add('GET', `${BASE}/consumptions`, (request) => feed(store.state.mes.consumptions, request))
    .add('GET', `${BASE}/output-declarations`, (request) =>
      feed(store.state.mes.outputDeclarations, request),
    )
    .add('GET', `${BASE}/line-events`, (request) => feed(store.state.mes.lineEvents, request))
    .add('GET', `${BASE}/lines`, () => json(200, { items: Object.values(store.state.mes.lines) }))
    .add('GET', `${BASE}/lines/:lineId`, (request) =>
      json(200, findLine(store, request.params.lineId)),
    )
    .add('POST', `${BASE}/lines/:lineId/stop`, (request) => lineCommand(store, request, 'stop'))
    .add('POST', `${BASE}/lines/:lineId/resume`, (request) =>
      lineCommand(store, request, 'resume'),
    );
  return { system: 'mes', prefix: '/mes/', router, renderError: restError };
}
