import type {
  CmmsDowntimeRecord,
  CmmsWorkOrder,
  ErpBatchHold,
  ErpBatchStock,
  ErpMaterialDocumentItem,
  ErpProductionOrder,
  FaultConfig,
  MesConfirmation,
  MesConsumption,
  MesLine,
  MesLineEvent,
  MesOutputDeclaration,
  QmsInspectionLot,
  QmsNonconformance,
  RequestLogEntry,
  StoredResponse,
  SystemName,
  WebhookDelivery,
} from '../simulator.types';

/** Everything the simulator knows, as plain JSON so `GET /_sim/state` can return it whole. */
export interface SimulatorState {
  erp: {
    batchStocks: Record<string, ErpBatchStock>;
    holds: Record<string, ErpBatchHold>;
    materialDocumentItems: ErpMaterialDocumentItem[];
    productionOrders: Record<string, ErpProductionOrder>;
    /** session cookie value -> CSRF token issued to it */
    csrfSessions: Record<string, string>;
  };
  mes: {
    lines: Record<string, MesLine>;
    confirmations: MesConfirmation[];
    consumptions: MesConsumption[];
    outputDeclarations: MesOutputDeclaration[];
    lineEvents: MesLineEvent[];
  };
  qms: {
    nonconformances: Record<string, QmsNonconformance>;
    inspectionLots: Record<string, QmsInspectionLot>;
    webhookUrls: string[];
    webhookDeliveries: WebhookDelivery[];
  };
  cmms: {
    workOrders: Record<string, CmmsWorkOrder>;
    downtimeRecords: Record<string, CmmsDowntimeRecord>;
  };
  /** `${system}:${scope}:${key}` -> the first response given for that key */
  idempotency: Record<string, StoredResponse>;
  faults: Record<SystemName, FaultConfig | null>;
  requestLog: Record<SystemName, RequestLogEntry[]>;
  counters: { sequence: number; lastTimestampMs: number; ids: Record<string, number> };
}

const PLANT = '1000';

function seedErp(at: string): SimulatorState['erp'] {
  const batch = (Material: string, Batch: string, Quantity: string): ErpBatchStock => ({
    Material,
    Batch,
    Plant: PLANT,
    StorageLocation: '0001',
    StockStatus: 'UNRESTRICTED',
    Quantity,
    BaseUnit: 'EA',
    BatchBySupplier: `SUP-${Batch}`,
    Supplier: '300001',
    LastChangeDateTime: at,
  });
  return {
    batchStocks: {
      'LOT-1001': batch('MAT-100', 'LOT-1001', '500'),
      'LOT-1002': batch('MAT-100', 'LOT-1002', '250'),
      'LOT-2001': batch('MAT-200', 'LOT-2001', '1000'),
    },
    holds: {},
    materialDocumentItems: [],
    productionOrders: {
      '1000001': {
        ManufacturingOrder: '1000001',
        Material: 'MAT-900',
        ProductionPlant: PLANT,
        ProductionLine: 'LINE-1',
        TotalQuantity: '100',
        ProductionUnit: 'EA',
        BillOfMaterialVersion: '01',
        MfgOrderPlannedStartDateTime: at,
        OrderIsReleased: true,
        LastChangeDateTime: at,
      },
    },
    csrfSessions: {},
  };
}

function seedLine(lineId: string, equipmentId: string, at: string): MesLine {
  return {
    lineId,
    equipmentId,
    state: 'RUNNING',
    stopReason: null,
    stopReference: null,
    stoppedAt: null,
    resumedAt: null,
    updatedAt: at,
  };
}

/** A small, believable plant: two lines, a few lots, one released order. */
export function createInitialState(webhookUrls: string[], nowMs: number): SimulatorState {
  const at = new Date(nowMs).toISOString();
  return {
    erp: seedErp(at),
    mes: {
      lines: {
        'LINE-1': seedLine('LINE-1', 'PRESS-01', at),
        'LINE-2': seedLine('LINE-2', 'WELD-02', at),
      },
      confirmations: [],
      consumptions: [],
      outputDeclarations: [],
      lineEvents: [],
    },
    qms: {
      nonconformances: {},
      inspectionLots: {},
      webhookUrls: [...webhookUrls],
      webhookDeliveries: [],
    },
    cmms: { workOrders: {}, downtimeRecords: {} },
    idempotency: {},
    faults: { erp: null, mes: null, qms: null, cmms: null },
    requestLog: { erp: [], mes: [], qms: [], cmms: [] },
    counters: { sequence: 0, lastTimestampMs: nowMs, ids: {} },
  };
}
