/** The four vendor systems the simulator plays. `_sim` control routes belong to none of them. */
export const SYSTEM_NAMES = ['erp', 'mes', 'qms', 'cmms'] as const;
export type SystemName = (typeof SYSTEM_NAMES)[number];

export function isSystemName(value: string): value is SystemName {
  return (SYSTEM_NAMES as readonly string[]).includes(value);
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  /** 0 when the connection was dropped (outage). */
  status: number;
  at: string;
}

export interface FaultConfig {
  latencyMs: number;
  errorRate: number;
  status: 503 | 429 | null;
  retryAfterSeconds: number | null;
  outage: boolean;
  /** ISO time after which the fault no longer applies; null = until cleared. */
  until: string | null;
  /** Running sum for the every-Nth error rule (see FaultInjector). */
  errorAccumulator: number;
}

/** A stored response replayed for a repeated Idempotency-Key. */
export interface StoredResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

export interface ErpBatchStock {
  Material: string;
  Batch: string;
  Plant: string;
  StorageLocation: string;
  StockStatus: 'UNRESTRICTED' | 'QUALITY' | 'BLOCKED';
  Quantity: string;
  BaseUnit: string;
  BatchBySupplier: string;
  Supplier: string;
  LastChangeDateTime: string;
}

export interface ErpBatchHold {
  HoldId: string;
  Plant: string;
  Reason: string;
  ExternalReference: string;
  HoldStatus: 'ACTIVE' | 'RELEASED';
  CreatedBy: string;
  CreationDateTime: string;
  ReleasedBy: string;
  ReleaseReason: string;
  ReleaseDateTime: string | null;
  Batches: string[];
  LastChangeDateTime: string;
}

export interface ErpMaterialDocumentItem {
  MaterialDocument: string;
  MaterialDocumentYear: string;
  MaterialDocumentItem: string;
  GoodsMovementType: string;
  Material: string;
  Plant: string;
  Batch: string;
  QuantityInEntryUnit: string;
  EntryUnit: string;
  ManufacturingOrder: string;
  PurchaseOrder: string;
  Supplier: string;
  SalesOrder: string;
  Customer: string;
  DeliveryDocument: string;
  PostingDate: string;
  LastChangeDateTime: string;
}

export interface ErpProductionOrder {
  ManufacturingOrder: string;
  Material: string;
  ProductionPlant: string;
  ProductionLine: string;
  TotalQuantity: string;
  ProductionUnit: string;
  BillOfMaterialVersion: string;
  MfgOrderPlannedStartDateTime: string;
  OrderIsReleased: boolean;
  LastChangeDateTime: string;
}

export interface MesRecord {
  /** Position in the MES change feed; cursors are built from it. */
  sequence: number;
}

export interface MesConfirmation extends MesRecord {
  confirmationId: string;
  orderId: string;
  operationId: string;
  workCenterId: string;
  equipmentId: string;
  operatorBadge: string;
  completedAt: string;
  processParameters: Record<string, number | string | boolean>;
}

export interface MesConsumption extends MesRecord {
  consumptionId: string;
  orderId: string;
  consumedLotId: string;
  materialId: string;
  quantity: number;
  unit: string;
  operationId: string;
  workCenterId: string;
  consumedAt: string;
}

export interface MesOutputDeclaration extends MesRecord {
  declarationId: string;
  orderId: string;
  outputLotId: string;
  materialId: string;
  quantity: number;
  unit: string;
  serialNumbers: string[];
  declaredAt: string;
}

export interface MesLine {
  lineId: string;
  equipmentId: string;
  state: 'RUNNING' | 'STOPPED';
  stopReason: string | null;
  stopReference: string | null;
  stoppedAt: string | null;
  resumedAt: string | null;
  updatedAt: string;
}

export interface MesLineEvent extends MesRecord {
  eventId: string;
  lineId: string;
  equipmentId: string;
  kind: 'STOPPED' | 'RESUMED';
  reason: string;
  at: string;
  stoppedSeconds: number | null;
}

export interface QmsDisposition {
  decision: 'RELEASE' | 'REWORK' | 'SCRAP' | 'RETURN_TO_SUPPLIER' | 'USE_AS_IS';
  approved_by: { user_id: string; display_name: string };
  reason: string;
  decided_at: string;
}

export interface QmsNonconformance {
  nc_number: string;
  status: 'OPEN' | 'DISPOSITIONED' | 'CLOSED';
  severity_level: 'MINOR' | 'MAJOR' | 'CRITICAL';
  affected_lots: string[];
  defect_code: string;
  description: string;
  detected_at: string;
  equipment_ref: string | null;
  work_order_ref: string | null;
  reported_by: { user_id: string; display_name: string } | null;
  disposition: QmsDisposition | null;
  closed_at: string | null;
  capa_ref: string | null;
  updated_at: string;
  change_seq: number;
}

export interface QmsMeasurement {
  characteristic: string;
  measured_value: number;
  unit: string;
  lower_limit?: number;
  upper_limit?: number;
  nominal?: number;
}

export interface QmsInspectionLot {
  inspection_lot_number: string;
  material_lot: string;
  origin: 'RECEIPT' | 'IN_PROCESS' | 'FINAL';
  /** The production order an in-process or final inspection belongs to. */
  order_ref: string | null;
  /** The equipment an in-process inspection was taken at. */
  equipment_ref: string | null;
  status: 'CREATED' | 'RESULT_RECORDED';
  created_at: string;
  result: 'PASS' | 'FAIL' | null;
  measurements: QmsMeasurement[];
  inspected_at: string | null;
  inspector: { user_id: string; display_name: string } | null;
  updated_at: string;
  change_seq: number;
}

export interface WebhookDelivery {
  webhookId: string;
  url: string;
  event: string;
  body: string;
  attempts: number;
  status: 'pending' | 'delivered' | 'failed';
  lastStatusCode: number | null;
  lastError: string | null;
}

export interface CmmsWorkOrder {
  workOrderNumber: string;
  externalReference: string | null;
  assetNumber: string;
  workType: 'CM' | 'PM' | 'EM';
  priority: 1 | 2 | 3 | 4;
  status: 'WAPPR' | 'APPR' | 'INPRG' | 'COMP';
  description: string;
  reportedDate: string;
  completedDate: string | null;
  failureCause: string | null;
  actualLaborHours: number | null;
  materialsUsed: { itemNumber: string; quantity: number }[];
  updatedAt: string;
}

export interface CmmsDowntimeRecord {
  downtimeId: string;
  assetNumber: string;
  reasonCode: string;
  startTime: string;
  endTime: string | null;
  durationSeconds: number | null;
  updatedAt: string;
}
