import { HttpError } from '../http/http-router';
import {
  optionalNumber,
  optionalString,
  requireObject,
  requiredEnum,
  requiredNumber,
  requiredString,
  requiredStringArray,
  type JsonObject,
} from '../http/request-fields';
import type { QmsInspectionLot, QmsMeasurement, QmsNonconformance } from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';
import type { QmsWebhookSender } from './qms-webhook.sender';

const SEVERITIES = ['MINOR', 'MAJOR', 'CRITICAL'] as const;
const DECISIONS = ['RELEASE', 'REWORK', 'SCRAP', 'RETURN_TO_SUPPLIER', 'USE_AS_IS'] as const;
const ORIGINS = ['RECEIPT', 'IN_PROCESS', 'FINAL'] as const;
const RESULTS = ['PASS', 'FAIL'] as const;

type User = { user_id: string; display_name: string };

function readUser(body: JsonObject, field: string): User | null {
  if (body[field] === undefined || body[field] === null) return null;
  const user = requireObject(body[field], field);
  return {
    user_id: requiredString(user, 'user_id'),
    display_name: optionalString(user, 'display_name') ?? '',
  };
}

function readMeasurement(raw: unknown, index: number): QmsMeasurement {
  const item = requireObject(raw, `measurements[${index}]`);
  const measurement: QmsMeasurement = {
    characteristic: requiredString(item, 'characteristic'),
    measured_value: requiredNumber(item, 'measured_value'),
    unit: requiredString(item, 'unit'),
  };
  for (const limit of ['lower_limit', 'upper_limit', 'nominal'] as const) {
    const value = optionalNumber(item, limit);
    if (value !== undefined) measurement[limit] = value;
  }
  return measurement;
}

/** QMS behaviour (nonconformances, inspection lots) and the webhooks each change sends. */
export class QmsService {
  constructor(
    private readonly store: SimulatorStore,
    private readonly webhooks: QmsWebhookSender,
  ) {}

  raise(rawBody: unknown): QmsNonconformance {
    const body = requireObject(rawBody);
    const at = this.store.now();
    const nonconformance: QmsNonconformance = {
      nc_number: this.store.nextId('NC-', 6),
      status: 'OPEN',
      severity_level: requiredEnum(body, 'severity_level', SEVERITIES),
      affected_lots: requiredStringArray(body, 'affected_lots'),
      defect_code: requiredString(body, 'defect_code'),
      description: requiredString(body, 'description').slice(0, 4000),
      detected_at: optionalString(body, 'detected_at') ?? at,
      equipment_ref: optionalString(body, 'equipment_ref') ?? null,
      work_order_ref: optionalString(body, 'work_order_ref') ?? null,
      reported_by: readUser(body, 'reported_by'),
      disposition: null,
      closed_at: null,
      capa_ref: null,
      updated_at: at,
      change_seq: this.store.nextSequence(),
    };
    this.store.state.qms.nonconformances[nonconformance.nc_number] = nonconformance;
    this.webhooks.publish('nonconformance.raised', structuredClone(nonconformance));
    return nonconformance;
  }

  findNonconformance(ncNumber: string): QmsNonconformance {
    const found = this.store.state.qms.nonconformances[ncNumber];
    if (!found)
      throw new HttpError(404, 'NC_NOT_FOUND', `Nonconformance ${ncNumber} does not exist`);
    return found;
  }

  disposition(ncNumber: string, rawBody: unknown): QmsNonconformance {
    const nonconformance = this.findNonconformance(ncNumber);
    if (nonconformance.status !== 'OPEN') {
      throw new HttpError(
        409,
        'NC_NOT_OPEN',
        `Nonconformance ${ncNumber} is ${nonconformance.status}`,
      );
    }
    const body = requireObject(rawBody);
    const approvedBy = readUser(body, 'approved_by');
    if (!approvedBy) throw new HttpError(400, 'INVALID_FIELD', "Field 'approved_by' is required");
    const at = this.store.now();
    nonconformance.disposition = {
      decision: requiredEnum(body, 'decision', DECISIONS),
      approved_by: approvedBy,
      reason: requiredString(body, 'reason'),
      decided_at: at,
    };
    this.touch(nonconformance, 'DISPOSITIONED', at);
    this.webhooks.publish('nonconformance.dispositioned', structuredClone(nonconformance));
    return nonconformance;
  }

  close(ncNumber: string, rawBody: unknown): QmsNonconformance {
    const nonconformance = this.findNonconformance(ncNumber);
    if (nonconformance.status === 'CLOSED') {
      throw new HttpError(409, 'NC_ALREADY_CLOSED', `Nonconformance ${ncNumber} is already closed`);
    }
    const body = requireObject(rawBody ?? {});
    const at = this.store.now();
    nonconformance.closed_at = at;
    nonconformance.capa_ref = optionalString(body, 'capa_ref') ?? null;
    this.touch(nonconformance, 'CLOSED', at);
    this.webhooks.publish('nonconformance.closed', structuredClone(nonconformance));
    return nonconformance;
  }

  createInspectionLot(rawBody: unknown): QmsInspectionLot {
    const body = requireObject(rawBody);
    const at = this.store.now();
    const lot: QmsInspectionLot = {
      inspection_lot_number: this.store.nextId('IL-', 8),
      material_lot: requiredString(body, 'material_lot'),
      origin: requiredEnum(body, 'origin', ORIGINS),
      order_ref: optionalString(body, 'order_ref') ?? null,
      equipment_ref: optionalString(body, 'equipment_ref') ?? null,
      status: 'CREATED',
      created_at: at,
      result: null,
      measurements: [],
      inspected_at: null,
      inspector: null,
      updated_at: at,
      change_seq: this.store.nextSequence(),
    };
    this.store.state.qms.inspectionLots[lot.inspection_lot_number] = lot;
    return lot;
  }

  recordResult(lotNumber: string, rawBody: unknown): QmsInspectionLot {
    const lot = this.store.state.qms.inspectionLots[lotNumber];
    if (!lot)
      throw new HttpError(
        404,
        'INSPECTION_LOT_NOT_FOUND',
        `Inspection lot ${lotNumber} does not exist`,
      );
    if (lot.status !== 'CREATED')
      throw new HttpError(
        409,
        'RESULT_ALREADY_RECORDED',
        `Inspection lot ${lotNumber} already has a result`,
      );
    const body = requireObject(rawBody);
    const measurements = body.measurements;
    if (!Array.isArray(measurements) || measurements.length === 0) {
      throw new HttpError(400, 'INVALID_FIELD', "Field 'measurements' must be a non-empty array");
    }
    const at = this.store.now();
    Object.assign(lot, {
      status: 'RESULT_RECORDED',
      result: requiredEnum(body, 'result', RESULTS),
      measurements: measurements.map(readMeasurement),
      inspected_at: at,
      inspector: readUser(body, 'inspector'),
      updated_at: at,
      change_seq: this.store.nextSequence(),
    });
    this.webhooks.publish('inspection.result_recorded', structuredClone(lot));
    return lot;
  }

  private touch(
    nonconformance: QmsNonconformance,
    status: QmsNonconformance['status'],
    at: string,
  ): void {
    nonconformance.status = status;
    nonconformance.updated_at = at;
    nonconformance.change_seq = this.store.nextSequence();
  }
}
