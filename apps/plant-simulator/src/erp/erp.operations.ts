import type { ErpBatchHold, ErpMaterialDocumentItem } from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';
import { HttpError } from '../http/http-router';

/** Business changes in the ERP simulation, shared by the OData routes and the drive API. */
export interface PlaceHoldInput {
  batches: string[];
  reason: string;
  externalReference: string;
  createdBy: string;
  plant: string;
}

export function placeHold(store: SimulatorStore, input: PlaceHoldInput): ErpBatchHold {
  const erp = store.state.erp;
  const unknown = input.batches.filter((batch) => !erp.batchStocks[batch]);
  if (unknown.length > 0) {
    throw new HttpError(400, 'BATCH_NOT_FOUND', `Batch ${unknown.join(', ')} does not exist`);
  }
  const at = store.now();
  const hold: ErpBatchHold = {
    HoldId: store.nextId('', 10, 4_000_000_001),
    Plant: input.plant,
    Reason: input.reason,
    ExternalReference: input.externalReference,
    HoldStatus: 'ACTIVE',
    CreatedBy: input.createdBy,
    CreationDateTime: at,
    ReleasedBy: '',
    ReleaseReason: '',
    ReleaseDateTime: null,
    Batches: [...input.batches],
    LastChangeDateTime: at,
  };
  erp.holds[hold.HoldId] = hold;
  for (const batch of input.batches) {
    erp.batchStocks[batch].StockStatus = 'BLOCKED';
    erp.batchStocks[batch].LastChangeDateTime = at;
  }
  return hold;
}

export function releaseHold(
  store: SimulatorStore,
  hold: ErpBatchHold,
  releasedBy: string,
  reason: string,
): ErpBatchHold {
  if (hold.HoldStatus !== 'ACTIVE') {
    throw new HttpError(409, 'HOLD_NOT_ACTIVE', `Hold ${hold.HoldId} is already released`);
  }
  const erp = store.state.erp;
  const at = store.now();
  Object.assign(hold, {
    HoldStatus: 'RELEASED',
    ReleasedBy: releasedBy,
    ReleaseReason: reason,
    ReleaseDateTime: at,
    LastChangeDateTime: at,
  });
  // A batch stays blocked while any other active hold still names it.
  const stillHeld = new Set(
    Object.values(erp.holds)
      .filter((other) => other.HoldStatus === 'ACTIVE')
      .flatMap((other) => other.Batches),
  );
  for (const batch of hold.Batches.filter((one) => !stillHeld.has(one))) {
    erp.batchStocks[batch].StockStatus = 'UNRESTRICTED';
    erp.batchStocks[batch].LastChangeDateTime = at;
  }
  return hold;
}

export interface MovementLine {
  material: string;
  batch: string;
  quantity: number;
  unit: string;
}

/** Posts one material document with one item per line (SAP movement types 101, 261, 601). */
export function postMaterialDocument(
  store: SimulatorStore,
  movementType: '101' | '261' | '601',
  lines: MovementLine[],
  references: Partial<ErpMaterialDocumentItem>,
): ErpMaterialDocumentItem[] {
  const at = store.now();
  const documentNumber = store.nextId('49', 8);
  const items = lines.map((line, index) => ({
    MaterialDocument: documentNumber,
    MaterialDocumentYear: at.slice(0, 4),
    MaterialDocumentItem: String(index + 1).padStart(4, '0'),
    GoodsMovementType: movementType,
    Material: line.material,
    Plant: '1000',
    Batch: line.batch,
    QuantityInEntryUnit: String(line.quantity),
    EntryUnit: line.unit,
    ManufacturingOrder: '',
    PurchaseOrder: '',
    Supplier: '',
    SalesOrder: '',
    Customer: '',
    DeliveryDocument: '',
    PostingDate: at,
    LastChangeDateTime: at,
    ...references,
  }));
  store.state.erp.materialDocumentItems.push(...items);
  return items;
}

/** A goods receipt (101) creates or tops up the batch in unrestricted stock. */
export function receiveBatch(
  store: SimulatorStore,
  line: MovementLine,
  supplier: string,
  supplierBatch: string,
): void {
  const stocks = store.state.erp.batchStocks;
  const at = store.now();
  const existing = stocks[line.batch];
  if (existing) {
    existing.Quantity = String(Number(existing.Quantity) + line.quantity);
    existing.LastChangeDateTime = at;
    return;
  }
  stocks[line.batch] = {
    Material: line.material,
    Batch: line.batch,
    Plant: '1000',
    StorageLocation: '0001',
    StockStatus: 'UNRESTRICTED',
    Quantity: String(line.quantity),
    BaseUnit: line.unit,
    BatchBySupplier: supplierBatch,
    Supplier: supplier,
    LastChangeDateTime: at,
  };
}
