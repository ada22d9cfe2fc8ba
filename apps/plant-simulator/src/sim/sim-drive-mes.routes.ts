import { postMaterialDocument, receiveBatch } from '../erp/erp.operations';
import { json, type HttpRouter, type SimResponse } from '../http/http-router';
import {
  optionalString,
  optionalStringArray,
  requireObject,
  requiredNumber,
  requiredString,
  type JsonObject,
} from '../http/request-fields';
import {
  declareOutput,
  recordConfirmation,
  recordConsumption,
  resumeLine,
  stopLine,
} from '../mes/mes.operations';
import type { SimulatorStore } from '../state/simulator-store';

function output(store: SimulatorStore, body: JsonObject): SimResponse {
  const declaration = declareOutput(store, {
    orderId: requiredString(body, 'orderId'),
    outputLotId: requiredString(body, 'outputLotId'),
    materialId: requiredString(body, 'materialId'),
    quantity: requiredNumber(body, 'quantity'),
    unit: optionalString(body, 'unit') ?? 'EA',
    serialNumbers: optionalStringArray(body, 'serialNumbers'),
  });
  // The MES backflushes the output to ERP as a goods receipt from production (101).
  const line = {
    material: declaration.materialId,
    batch: declaration.outputLotId,
    quantity: declaration.quantity,
    unit: declaration.unit,
  };
  receiveBatch(store, line, '', '');
  postMaterialDocument(store, '101', [line], { ManufacturingOrder: declaration.orderId });
  return json(201, declaration);
}

function consumption(store: SimulatorStore, body: JsonObject): SimResponse {
  const recorded = recordConsumption(store, {
    orderId: requiredString(body, 'orderId'),
    consumedLotId: requiredString(body, 'consumedLotId'),
    materialId: requiredString(body, 'materialId'),
    quantity: requiredNumber(body, 'quantity'),
    unit: optionalString(body, 'unit') ?? 'EA',
    operationId: optionalString(body, 'operationId') ?? '0010',
    workCenterId: optionalString(body, 'workCenterId') ?? 'WC-ASSY',
  });
  return json(201, recorded);
}

function confirmation(store: SimulatorStore, body: JsonObject): SimResponse {
  const parameters =
    body.processParameters === undefined
      ? {}
      : requireObject(body.processParameters, 'processParameters');
  const recorded = recordConfirmation(store, {
    orderId: requiredString(body, 'orderId'),
    operationId: optionalString(body, 'operationId') ?? '0010',
    workCenterId: optionalString(body, 'workCenterId') ?? 'WC-ASSY',
    equipmentId: optionalString(body, 'equipmentId') ?? 'PRESS-01',
    operatorBadge: optionalString(body, 'operatorBadge') ?? 'B-1042',
    processParameters: parameters as Record<string, number | string | boolean>,
  });
  return json(201, recorded);
}

const reasonOf = (body: unknown) =>
  optionalString(requireObject(body ?? {}), 'reason') ?? 'SIMULATED';

/** MES drive: output (with its ERP receipt), consumptions, confirmations, line stop/resume. */
export function registerMesDrive(router: HttpRouter, store: SimulatorStore): void {
  router
    .add('POST', '/_sim/mes/output', (request) => output(store, requireObject(request.body)))
    .add('POST', '/_sim/mes/consumptions', (request) =>
      consumption(store, requireObject(request.body)),
    )
    .add('POST', '/_sim/mes/confirmations', (request) =>
      confirmation(store, requireObject(request.body)),
    )
    .add('POST', '/_sim/mes/lines/:lineId/stop', (request) =>
      json(200, stopLine(store, request.params.lineId, reasonOf(request.body), null)),
    )
    .add('POST', '/_sim/mes/lines/:lineId/resume', (request) =>
      json(200, resumeLine(store, request.params.lineId, reasonOf(request.body))),
    );
}
