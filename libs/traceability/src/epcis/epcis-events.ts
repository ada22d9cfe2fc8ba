import type { Quantity, ShipmentRef, TimelineEntry } from '../model';
import { quantity, text, texts } from '../report/payload';
import { extractTimelineFact } from '../report/timeline-facts';
import { eventId, type LotIdentifiers } from './lot-identifiers';

/** The JSON-LD prefix of Threadline's EPCIS extension fields (inspection measurements). */
export const THREADLINE_VOCABULARY = { threadline: 'urn:threadline:epcis:' } as const;

export interface QuantityElement {
  readonly epcClass: string;
  readonly quantity?: number;
  readonly uom?: string;
}

interface EventBase {
  readonly eventTime: string;
  readonly eventTimeZoneOffset: string;
  readonly eventID: string;
  readonly readPoint?: { readonly id: string };
  readonly bizLocation?: { readonly id: string };
  readonly bizTransactionList?: readonly {
    readonly type: string;
    readonly bizTransaction: string;
  }[];
  readonly sourceList?: readonly { readonly type: string; readonly source: string }[];
  readonly destinationList?: readonly { readonly type: string; readonly destination: string }[];
  readonly [extension: `threadline:${string}`]: unknown;
}

export interface EpcisObjectEvent extends EventBase {
  readonly type: 'ObjectEvent';
  readonly action: 'OBSERVE';
  readonly bizStep: 'receiving' | 'inspecting' | 'shipping';
  readonly disposition?: string;
  readonly quantityList: readonly QuantityElement[];
}

export interface EpcisTransformationEvent extends EventBase {
  readonly type: 'TransformationEvent';
  readonly transformationID: string;
  readonly inputQuantityList: readonly QuantityElement[];
  readonly outputQuantityList: readonly QuantityElement[];
}

export type EpcisEvent = EpcisObjectEvent | EpcisTransformationEvent;

/** What every event builder needs from the report and the options. */
export interface EventContext {
  readonly ids: LotIdentifiers;
  readonly plant: string | null;
  /** The material of a lot the report knows, else null. */
  materialOf(lotId: string): string | null;
  /** `quantity` and UN/CEFACT `uom`, or nothing when the unit has no code. */
  amount(quantity: Quantity | null): Pick<QuantityElement, 'quantity' | 'uom'>;
  /** eventTime (UTC) and eventTimeZoneOffset of a payload time, else of `fallback`. */
  timeOf(
    time: string | null,
    fallback: string,
  ): Pick<EventBase, 'eventTime' | 'eventTimeZoneOffset'>;
}

/** Where an event happened: the asset or work center if named, else the plant. */
export function locations(
  context: EventContext,
  equipment: { assetId: string | null; workCenterId: string | null } | null,
): Pick<EventBase, 'readPoint' | 'bizLocation'> {
  const plant =
    context.plant === null ? undefined : { id: context.ids.uri('plant', context.plant) };
  const readPoint = equipment?.assetId
    ? { id: context.ids.uri('asset', equipment.assetId) }
    : equipment?.workCenterId
      ? { id: context.ids.uri('work-center', equipment.workCenterId) }
      : plant;
  return { ...(readPoint && { readPoint }), ...(plant && { bizLocation: plant }) };
}

/** A class-level quantity element of a lot. */
export function lotQuantity(
  context: EventContext,
  lotId: string,
  amount: Quantity | null,
): QuantityElement {
  return {
    epcClass: context.ids.lotClass(lotId, context.materialOf(lotId)),
    ...context.amount(amount),
  };
}

/** `material.lot.received`: an OBSERVE at bizStep receiving, from the supplier, against the PO. */
export function receiptEvent(context: EventContext, entry: TimelineEntry): EpcisObjectEvent | null {
  const data = entry.data;
  const lotId = text(data, 'lotId');
  if (lotId === null) return null;
  const ids = context.ids;
  const purchaseOrderId = text(data, 'purchaseOrderId');
  const supplierId = text(data, 'supplierId');
  const certificates = texts(data, 'certificateRefs');
  return {
    type: 'ObjectEvent',
    ...context.timeOf(text(data, 'receivedAt'), entry.time),
    eventID: eventId(`receipt|${entry.eventId}`),
    action: 'OBSERVE',
    bizStep: 'receiving',
    quantityList: [lotQuantity(context, lotId, quantity(data, 'quantity'))],
    ...locations(context, null),
    bizTransactionList: [
      ...(purchaseOrderId
        ? [{ type: 'po', bizTransaction: ids.uri('purchase-order', purchaseOrderId) }]
        : []),
      ...certificates.map((ref) => ({ type: 'cert', bizTransaction: ids.uri('certificate', ref) })),
    ],
    ...(supplierId && {
      sourceList: [{ type: 'owning_party', source: ids.uri('supplier', supplierId) }],
    }),
  };
}

/**
 * `quality.inspection.result.recorded`: an OBSERVE at bizStep inspecting, disposition conformant
 * (pass) or non_conformant (fail), with the measurements and their limits as extension fields.
 */
export function inspectionEvent(
  context: EventContext,
  entry: TimelineEntry,
): EpcisObjectEvent | null {
  const fact = extractTimelineFact(entry);
  const lotId = text(entry.data, 'lotId');
  if (lotId === null || fact.inspection === null) return null;
  const { inspectionLotId, result, measurements } = fact.inspection;
  const disposition =
    result === 'pass' ? 'conformant' : result === 'fail' ? 'non_conformant' : null;
  return {
    type: 'ObjectEvent',
    ...context.timeOf(text(entry.data, 'inspectedAt'), entry.time),
    eventID: eventId(`inspection|${entry.eventId}`),
    action: 'OBSERVE',
    bizStep: 'inspecting',
    ...(disposition && { disposition }),
    quantityList: [lotQuantity(context, lotId, null)],
    ...locations(context, fact.equipment),
    ...(fact.orderId && {
      bizTransactionList: [
        { type: 'prodorder', bizTransaction: context.ids.uri('order', fact.orderId) },
      ],
    }),
    ...(inspectionLotId && {
      'threadline:inspectionLot': context.ids.uri('inspection-lot', inspectionLotId),
    }),
    ...(result && { 'threadline:result': result }),
    'threadline:measurements': measurements.map((m) => ({
      'threadline:characteristic': m.characteristic,
      'threadline:value': m.value,
      'threadline:unit': m.unit,
      ...(m.lsl !== null && { 'threadline:lsl': m.lsl }),
      ...(m.usl !== null && { 'threadline:usl': m.usl }),
      ...(m.target !== null && { 'threadline:target': m.target }),
      'threadline:specStatus': m.status,
    })),
  };
}

/**
 * One shipment (its lines among the recall's shipments): an OBSERVE at bizStep shipping,
 * disposition in_transit, against the sales order and the despatch, to the customer.
 */
export function shipmentEvent(
  context: EventContext,
  lines: readonly ShipmentRef[],
): EpcisObjectEvent {
  const [first] = lines as [ShipmentRef, ...ShipmentRef[]];
  const ids = context.ids;
  const content = {
    type: 'ObjectEvent' as const,
    ...context.timeOf(first.shippedAt, first.shippedAt),
    action: 'OBSERVE' as const,
    bizStep: 'shipping' as const,
    disposition: 'in_transit',
    quantityList: lines.map((line) => lotQuantity(context, line.lotId, line.quantity)),
    ...(context.plant !== null && { readPoint: { id: ids.uri('plant', context.plant) } }),
    bizTransactionList: [
      { type: 'poc', bizTransaction: ids.uri('sales-order', first.salesOrderId) },
      { type: 'desadv', bizTransaction: ids.uri('shipment', first.shipmentId) },
    ],
    destinationList: [{ type: 'owning_party', destination: ids.uri('customer', first.customerId) }],
  };
  // The recall lists only the shipment's lines of affected lots: the id follows the content.
  return { ...content, eventID: eventId(`shipment|${JSON.stringify(content)}`) };
}
