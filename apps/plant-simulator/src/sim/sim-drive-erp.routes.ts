import { postMaterialDocument, receiveBatch, type MovementLine } from '../erp/erp.operations';
import { HttpError, json, type HttpRouter, type SimResponse } from '../http/http-router';
import {
  optionalString,
  requireObject,
  requiredNumber,
  requiredString,
  type JsonObject,
} from '../http/request-fields';
import type { SimulatorStore } from '../state/simulator-store';

function movementLine(body: JsonObject): MovementLine {
  return {
    material: requiredString(body, 'material'),
    batch: requiredString(body, 'batch'),
    quantity: requiredNumber(body, 'quantity'),
    unit: optionalString(body, 'unit') ?? 'EA',
  };
}

function ship(store: SimulatorStore, body: JsonObject): SimResponse {
  const lines = body.lines;
  if (!Array.isArray(lines) || lines.length === 0) {
    const rule = 'must be a non-empty array of { material, batch, quantity }';
    throw new HttpError(400, 'INVALID_FIELD', `Field 'lines' ${rule}`);
  }
  const movementLines = lines.map((line, index) =>
    movementLine(requireObject(line, `lines[${index}]`)),
  );
  const items = postMaterialDocument(store, '601', movementLines, {
    Customer: requiredString(body, 'customer'),
    SalesOrder: requiredString(body, 'salesOrder'),
    DeliveryDocument: optionalString(body, 'deliveryDocument') ?? store.nextId('80', 8),
  });
  return json(201, { items });
}

function receive(store: SimulatorStore, body: JsonObject): SimResponse {
  const line = movementLine(body);
  const supplier = optionalString(body, 'supplier') ?? '300001';
  const supplierBatch = optionalString(body, 'supplierBatch') ?? `SUP-${line.batch}`;
  receiveBatch(store, line, supplier, supplierBatch);
  const items = postMaterialDocument(store, '101', [line], {
    Supplier: supplier,
    PurchaseOrder: optionalString(body, 'purchaseOrder') ?? store.nextId('45', 8),
  });
  return json(201, { items });
}

function releaseOrder(store: SimulatorStore, body: JsonObject): SimResponse {
  const at = store.now();
  const order = {
    ManufacturingOrder: optionalString(body, 'order') ?? store.nextId('10', 5, 2),
    Material: requiredString(body, 'material'),
    ProductionPlant: '1000',
    ProductionLine: optionalString(body, 'line') ?? 'LINE-1',
    TotalQuantity: String(requiredNumber(body, 'quantity')),
    ProductionUnit: optionalString(body, 'unit') ?? 'EA',
    BillOfMaterialVersion: '01',
    MfgOrderPlannedStartDateTime: at,
    OrderIsReleased: true,
    LastChangeDateTime: at,
  };
  store.state.erp.productionOrders[order.ManufacturingOrder] = order;
  return json(201, order);
}

/** ERP drive: shipments (601), goods receipts (101) and newly released production orders. */
export function registerErpDrive(router: HttpRouter, store: SimulatorStore): void {
  router
    .add('POST', '/_sim/erp/shipments', (request) => ship(store, requireObject(request.body)))
    .add('POST', '/_sim/erp/goods-receipts', (request) =>
      receive(store, requireObject(request.body)),
    )
    .add('POST', '/_sim/erp/production-orders', (request) =>
      releaseOrder(store, requireObject(request.body)),
    );
}
