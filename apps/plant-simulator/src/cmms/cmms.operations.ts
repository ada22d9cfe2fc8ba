import { HttpError } from '../http/http-router';
import {
  optionalNumber,
  optionalString,
  requireObject,
  requiredEnum,
  requiredNumber,
  requiredString,
} from '../http/request-fields';
import type { CmmsDowntimeRecord, CmmsWorkOrder } from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';

const WORK_TYPES = ['CM', 'PM', 'EM'] as const;

/** Work orders and downtime in the CMMS simulation, shared by its routes and the drive API. */
export function findWorkOrder(store: SimulatorStore, workOrderNumber: string): CmmsWorkOrder {
  const found = store.state.cmms.workOrders[workOrderNumber];
  if (!found)
    throw new HttpError(
      404,
      'WORK_ORDER_NOT_FOUND',
      `Work order ${workOrderNumber} does not exist`,
    );
  return found;
}

export function findByExternalReference(
  store: SimulatorStore,
  reference: string | undefined,
): CmmsWorkOrder | undefined {
  if (!reference) return undefined;
  return Object.values(store.state.cmms.workOrders).find(
    (order) => order.externalReference === reference,
  );
}

export function createWorkOrder(store: SimulatorStore, rawBody: unknown): CmmsWorkOrder {
  const body = requireObject(rawBody);
  const priority = requiredNumber(body, 'priority');
  if (![1, 2, 3, 4].includes(priority)) {
    throw new HttpError(
      400,
      'INVALID_FIELD',
      "Field 'priority' must be 1 (emergency), 2, 3 or 4 (low)",
    );
  }
  const at = store.now();
  const order: CmmsWorkOrder = {
    workOrderNumber: store.nextId('WO-', 6, 100_001),
    externalReference: optionalString(body, 'externalReference') ?? null,
    assetNumber: requiredString(body, 'assetNumber'),
    workType: requiredEnum(body, 'workType', WORK_TYPES),
    priority: priority as CmmsWorkOrder['priority'],
    status: 'APPR',
    description: optionalString(body, 'description') ?? '',
    reportedDate: at,
    completedDate: null,
    failureCause: null,
    actualLaborHours: null,
    materialsUsed: [],
    updatedAt: at,
  };
  store.state.cmms.workOrders[order.workOrderNumber] = order;
  return order;
}

function readMaterials(raw: unknown): CmmsWorkOrder['materialsUsed'] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new HttpError(400, 'INVALID_FIELD', "Field 'materialsUsed' must be an array");
  return raw.map((item, index) => {
    const material = requireObject(item, `materialsUsed[${index}]`);
    return {
      itemNumber: requiredString(material, 'itemNumber'),
      quantity: requiredNumber(material, 'quantity'),
    };
  });
}

export function completeWorkOrder(
  store: SimulatorStore,
  workOrderNumber: string,
  rawBody: unknown,
): CmmsWorkOrder {
  const order = findWorkOrder(store, workOrderNumber);
  if (order.status === 'COMP') {
    throw new HttpError(
      409,
      'WORK_ORDER_COMPLETE',
      `Work order ${workOrderNumber} is already complete`,
    );
  }
  const body = requireObject(rawBody ?? {});
  const at = store.now();
  Object.assign(order, {
    status: 'COMP',
    completedDate: at,
    failureCause: optionalString(body, 'failureCause') ?? null,
    actualLaborHours: optionalNumber(body, 'actualLaborHours') ?? null,
    materialsUsed: readMaterials(body.materialsUsed),
    updatedAt: at,
  });
  return order;
}

export function startDowntime(store: SimulatorStore, rawBody: unknown): CmmsDowntimeRecord {
  const body = requireObject(rawBody);
  const at = store.now();
  const record: CmmsDowntimeRecord = {
    downtimeId: store.nextId('DT-', 6),
    assetNumber: requiredString(body, 'assetNumber'),
    reasonCode: requiredString(body, 'reasonCode'),
    startTime: at,
    endTime: null,
    durationSeconds: null,
    updatedAt: at,
  };
  store.state.cmms.downtimeRecords[record.downtimeId] = record;
  return record;
}

export function endDowntime(store: SimulatorStore, downtimeId: string): CmmsDowntimeRecord {
  const record = store.state.cmms.downtimeRecords[downtimeId];
  if (!record)
    throw new HttpError(404, 'DOWNTIME_NOT_FOUND', `Downtime record ${downtimeId} does not exist`);
  if (record.endTime)
    throw new HttpError(409, 'DOWNTIME_ENDED', `Downtime record ${downtimeId} has already ended`);
  const at = store.now();
  Object.assign(record, {
    endTime: at,
    durationSeconds: Math.round((Date.parse(at) - Date.parse(record.startTime)) / 1000),
    updatedAt: at,
  });
  return record;
}
