import type { Actor, Quantity, TimelineEntry } from '../model';
import { formatMeasurement, formatQuantity } from './format';
import {
  actor,
  isRecord,
  numeric,
  quantity,
  record,
  records,
  text,
  texts,
  type Payload,
} from './payload';

/** Why a person or system appears on an entry. */
export type ActorRole =
  'operator' | 'inspector' | 'approved-by' | 'released-by' | 'placed-by' | 'detected-by';

export interface ActorFact extends Actor {
  readonly role: ActorRole;
}

export interface EquipmentFact {
  readonly assetId: string | null;
  readonly workCenterId: string | null;
}

/** Where a measured value lies against its specification limits. */
export type SpecStatus = 'in-spec' | 'below-lsl' | 'above-usl' | 'no-limits';

export interface MeasurementFact {
  readonly characteristic: string;
  readonly value: number;
  readonly unit: string;
  readonly lsl: number | null;
  readonly usl: number | null;
  readonly target: number | null;
  readonly status: SpecStatus;
}

export interface InspectionFact {
  readonly inspectionLotId: string | null;
  readonly result: string | null;
  readonly measurements: readonly MeasurementFact[];
  /** Measurements below their LSL or above their USL. */
  readonly outOfSpec: number;
}

/** One timeline entry with what an auditor looks for pulled out of its payload. */
export interface TimelineFact {
  readonly eventId: string;
  readonly type: string;
  readonly time: string;
  readonly via: TimelineEntry['via'];
  /** The lots the event names, in payload order. */
  readonly lotIds: readonly string[];
  readonly orderId: string | null;
  readonly actor: ActorFact | null;
  readonly equipment: EquipmentFact | null;
  readonly parameters: Readonly<Record<string, string | number | boolean>> | null;
  readonly inspection: InspectionFact | null;
  readonly quantity: Quantity | null;
  /** One line a person can read, e.g. `Order WO-1 consumed 20 kg of LOT-A`. */
  readonly detail: string;
}

/** A nonconformance disposition: who decided what, when, and why. */
export interface DispositionFact {
  readonly ncrId: string;
  readonly disposition: string;
  readonly approvedBy: Actor | null;
  readonly reason: string | null;
  readonly dispositionedAt: string;
}

const ACTOR_FIELDS: readonly (readonly [string, ActorRole])[] = [
  ['operator', 'operator'],
  ['inspector', 'inspector'],
  ['approvedBy', 'approved-by'],
  ['releasedBy', 'released-by'],
  ['placedBy', 'placed-by'],
  ['detectedBy', 'detected-by'],
];

/** The facts of every entry, oldest first (entries at the same time keep their order). */
export function extractTimelineFacts(entries: readonly TimelineEntry[]): TimelineFact[] {
  return entries
    .map((entry, index) => ({ fact: extractTimelineFact(entry), index }))
    .sort((a, b) => Date.parse(a.fact.time) - Date.parse(b.fact.time) || a.index - b.index)
    .map(({ fact }) => fact);
}

/** The facts of one entry; fields the payload lacks are null. */
export function extractTimelineFact(entry: TimelineEntry): TimelineFact {
  const data = entry.data;
  const inspection = inspectionOf(entry.type, data);
  return {
    eventId: entry.eventId,
    type: entry.type,
    time: entry.time,
    via: entry.via,
    lotIds: lotIdsOf(data),
    orderId: text(data, 'orderId'),
    actor: actorOf(data),
    equipment: equipmentOf(data),
    parameters: parametersOf(data),
    inspection,
    quantity: quantity(data, 'quantity'),
    detail: describe(entry.type, data, inspection),
  };
}

/** The dispositions on the timeline, oldest first. */
export function extractDispositions(entries: readonly TimelineEntry[]): DispositionFact[] {
  return entries
    .filter((entry) => entry.type === 'quality.nonconformance.dispositioned')
    .map(({ data, time }) => ({
      ncrId: text(data, 'ncrId') ?? '',
      disposition: text(data, 'disposition') ?? '',
      approvedBy: actor(data, 'approvedBy'),
      reason: text(data, 'reason'),
      dispositionedAt: utc(text(data, 'dispositionedAt')) ?? time,
    }))
    .sort((a, b) => Date.parse(a.dispositionedAt) - Date.parse(b.dispositionedAt));
}

/** An RFC 3339 time in UTC (`2026-05-14T09:00:00Z`), like the model's times; null if unreadable. */
export function utc(time: string | null): string | null {
  const millis = time === null ? NaN : Date.parse(time);
  return Number.isNaN(millis) ? null : new Date(millis).toISOString().replace('.000Z', 'Z');
}

/** Where `value` lies against `lsl` and `usl` (either may be absent). */
export function specStatus(value: number, lsl: number | null, usl: number | null): SpecStatus {
  if (lsl !== null && value < lsl) return 'below-lsl';
  if (usl !== null && value > usl) return 'above-usl';
  return lsl === null && usl === null ? 'no-limits' : 'in-spec';
}

function lotIdsOf(data: Payload): string[] {
  const named = [
    text(data, 'lotId'),
    text(data, 'outputLotId'),
    ...texts(data, 'lotIds'),
    ...records(data, 'lines').map((line) => text(line, 'lotId')),
  ];
  return [...new Set(named.filter((lotId): lotId is string => lotId !== null))];
}

function actorOf(data: Payload): ActorFact | null {
  for (const [field, role] of ACTOR_FIELDS) {
    const found = actor(data, field);
    if (found) return { ...found, role };
  }
  return null;
}

function equipmentOf(data: Payload): EquipmentFact | null {
  const assetId = text(data, 'assetId');
  const workCenterId = text(data, 'workCenterId');
  return assetId === null && workCenterId === null ? null : { assetId, workCenterId };
}

function parametersOf(data: Payload): Record<string, string | number | boolean> | null {
  const parameters = record(data, 'parameters');
  if (!parameters) return null;
  const kept = Object.entries(parameters).filter(
    (pair): pair is [string, string | number | boolean] =>
      ['string', 'number', 'boolean'].includes(typeof pair[1]),
  );
  return kept.length > 0 ? Object.fromEntries(kept) : null;
}

function inspectionOf(type: string, data: Payload): InspectionFact | null {
  if (type !== 'quality.inspection.result.recorded') return null;
  const measurements = records(data, 'measurements').flatMap((item) => {
    const measurement = measurementOf(item);
    return measurement ? [measurement] : [];
  });
  return {
    inspectionLotId: text(data, 'inspectionLotId'),
    result: text(data, 'result'),
    measurements,
    outOfSpec: measurements.filter((m) => m.status === 'below-lsl' || m.status === 'above-usl')
      .length,
  };
}

function measurementOf(item: unknown): MeasurementFact | null {
  if (!isRecord(item)) return null;
  const characteristic = text(item, 'characteristic');
  const value = numeric(item, 'value');
  if (characteristic === null || value === null) return null;
  const lsl = numeric(item, 'lsl');
  const usl = numeric(item, 'usl');
  return {
    characteristic,
    value,
    unit: text(item, 'unit') ?? '',
    lsl,
    usl,
    target: numeric(item, 'target'),
    status: specStatus(value, lsl, usl),
  };
}

type Describe = (data: Payload, field: (name: string) => string) => string;

const DESCRIPTIONS: Readonly<Record<string, Describe>> = {
  'material.lot.received': (d, f) =>
    `Received ${f('quantity')} of ${f('materialId')} as ${f('lotId')} from supplier ${f('supplierId')} (supplier lot ${f('supplierLotId')}, PO ${f('purchaseOrderId')})`,
  'production.material.consumed': (d, f) =>
    `Order ${f('orderId')} consumed ${f('quantity')} of ${f('lotId')}`,
  'production.output.declared': (d, f) =>
    `Order ${f('orderId')} declared ${f('quantity')} of ${f('materialId')} as ${f('outputLotId')}`,
  'production.operation.completed': (d, f) =>
    `Operation ${f('operationId')} of order ${f('orderId')} completed at work center ${f('workCenterId')}`,
  'production.order.completed': (d, f) =>
    `Order ${f('orderId')} completed` +
    (d['yield'] ? `, yield ${f('yield')}` : '') +
    (d['scrap'] ? `, scrap ${f('scrap')}` : ''),
  'quality.inspection.lot.created': (d, f) =>
    `Inspection lot ${f('inspectionLotId')} created for ${f('lotId')} (${f('origin')})`,
  'quality.nonconformance.raised': (d, f) =>
    `${f('ncrId')} raised (${f('severity')}, defect ${f('defectCode')}): ${f('description')}`,
  'quality.nonconformance.dispositioned': (d, f) =>
    `${f('ncrId')} dispositioned ${f('disposition')}: ${f('reason')}`,
  'quality.nonconformance.closed': (d, f) =>
    `${f('ncrId')} closed` + (d['capaId'] ? ` (CAPA ${f('capaId')})` : ''),
  'inventory.hold.placed': (d, f) =>
    `Hold ${f('holdId')} placed: ${f('reason')}` + (d['ncrId'] ? ` (${f('ncrId')})` : ''),
  'inventory.hold.released': (d, f) =>
    `Hold ${f('holdId')} released` + (d['approvalReason'] ? `: ${f('approvalReason')}` : ''),
  'inventory.lot.status.changed': (d, f) => `Lot ${f('lotId')} status ${f('status')}`,
  'shipment.dispatched': (d, f) =>
    `Shipment ${f('shipmentId')} to customer ${f('customerId')} (sales order ${f('salesOrderId')}): ` +
    records(d, 'lines')
      .map((line) => `${text(line, 'lotId') ?? '?'} ${formatQuantity(quantity(line, 'quantity'))}`)
      .join(', ') +
    (d['carrier'] ? `; carrier ${f('carrier')}` : ''),
  'customer.complaint.received': (d, f) =>
    `Complaint ${f('complaintId')} from customer ${f('customerId')}: ${f('description')}`,
};

function describe(type: string, data: Payload, inspection: InspectionFact | null): string {
  if (inspection) {
    const header = `Inspection ${inspection.inspectionLotId ?? '?'}: ${inspection.result ?? '?'}`;
    return [header, ...inspection.measurements.map(formatMeasurement)].join('; ');
  }
  const field = (name: string): string => {
    const value = data[name];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    return formatQuantity(quantity(data, name)) || '?';
  };
  return DESCRIPTIONS[type]?.(data, field) ?? type;
}
