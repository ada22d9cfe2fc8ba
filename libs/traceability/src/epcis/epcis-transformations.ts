import type { LotReport, Quantity, TimelineEntry, TraceEdge } from '../model';
import { quantity, text } from '../report/payload';
import { extractTimelineFact } from '../report/timeline-facts';
import {
  locations,
  lotQuantity,
  type EpcisTransformationEvent,
  type EventContext,
} from './epcis-events';
import { eventId } from './lot-identifiers';

interface OrderTransformation {
  readonly orderId: string;
  /** Each input lot once, with what the order consumed of it. */
  readonly inputs: Map<string, Quantity | null>;
  readonly outputs: string[];
}

/**
 * One TransformationEvent per production order of the genealogy (both directions): its input
 * lots with the consumed quantities from the edges, its output lots with the declared quantities
 * (or the order's yield when it has one output). The event time is the last output declaration,
 * else the order's completion, else its last consumption or operation. An order two or more links
 * away has no event on the lot's timeline: its recorded declarations (`report.orders`) are used;
 * an order with neither has no time and is left out, its id in `omitted`.
 */
export function transformationEvents(
  context: EventContext,
  report: LotReport,
): { events: EpcisTransformationEvent[]; omitted: string[] } {
  const events: EpcisTransformationEvent[] = [];
  const omitted: string[] = [];
  for (const order of ordersOf([...report.backward.edges, ...report.forward.edges])) {
    const own = report.lot.timeline.filter((e) => text(e.data, 'orderId') === order.orderId);
    const timeline = own.length > 0 ? own : declarationsOf(report, order.orderId);
    const event = transformationEvent(context, order, timeline);
    if (event) events.push(event);
    else omitted.push(order.orderId);
  }
  return { events, omitted };
}

/**
 * An order far from the lot has no event on its timeline: its declarations as the genealogy
 * recorded them (lot, quantity, time) stand in for them.
 */
function declarationsOf(report: LotReport, orderId: string): TimelineEntry[] {
  const order = report.orders.find((candidate) => candidate.orderId === orderId);
  if (!order) return [];
  return order.outputs.map((output) => ({
    eventId: `${orderId}/${output.lotId}`,
    type: 'production.output.declared',
    time: output.declaredAt,
    via: 'order',
    data: {
      orderId,
      outputLotId: output.lotId,
      declaredAt: output.declaredAt,
      ...(output.quantity ? { quantity: output.quantity } : {}),
    },
  }));
}

function ordersOf(edges: readonly TraceEdge[]): OrderTransformation[] {
  const orders = new Map<string, OrderTransformation>();
  for (const edge of edges) {
    let order = orders.get(edge.orderId);
    if (!order) {
      order = { orderId: edge.orderId, inputs: new Map(), outputs: [] };
      orders.set(edge.orderId, order);
    }
    if (!order.inputs.has(edge.from)) order.inputs.set(edge.from, edge.quantity);
    if (!order.outputs.includes(edge.to)) order.outputs.push(edge.to);
  }
  return [...orders.values()];
}

function transformationEvent(
  context: EventContext,
  order: OrderTransformation,
  timeline: readonly TimelineEntry[],
): EpcisTransformationEvent | null {
  const declared = timeline.filter((e) => e.type === 'production.output.declared');
  const completed = timeline.find((e) => e.type === 'production.order.completed');
  const worked = timeline.filter((e) =>
    ['production.material.consumed', 'production.operation.completed'].includes(e.type),
  );
  const when =
    latest(declared, 'declaredAt') ??
    (completed ? moment(completed, 'completedAt') : null) ??
    latest(worked, 'consumedAt', 'completedAt');
  if (when === null) return null;

  const produced = (lotId: string): Quantity | null => {
    const declaration = declared.find((e) => text(e.data, 'outputLotId') === lotId);
    if (declaration) return quantity(declaration.data, 'quantity');
    return completed && order.outputs.length === 1 ? quantity(completed.data, 'yield') : null;
  };
  const operation = timeline.filter((e) => e.type === 'production.operation.completed').at(-1);
  const orderUri = context.ids.uri('order', order.orderId);
  const inputs = [...order.inputs.entries()];
  const content = {
    type: 'TransformationEvent' as const,
    ...context.timeOf(when.time, when.time),
    inputQuantityList: inputs.map(([lotId, consumed]) => lotQuantity(context, lotId, consumed)),
    outputQuantityList: order.outputs.map((lotId) => lotQuantity(context, lotId, produced(lotId))),
    transformationID: orderUri,
    ...locations(context, operation ? extractTimelineFact(operation).equipment : null),
    bizTransactionList: [{ type: 'prodorder', bizTransaction: orderUri }],
  };
  // Traces from different lots can see different parts of one order: the id follows the content.
  return { ...content, eventID: eventId(`transformation|${JSON.stringify(content)}`) };
}

/** The business time of an entry: its payload's `field`, else the event's time. */
function moment(entry: TimelineEntry, ...fields: string[]): { time: string; at: number } {
  const time = fields.map((field) => text(entry.data, field)).find((t) => t !== null) ?? entry.time;
  const at = Date.parse(time);
  return Number.isNaN(at) ? { time: entry.time, at: Date.parse(entry.time) } : { time, at };
}

function latest(
  entries: readonly TimelineEntry[],
  ...fields: string[]
): { time: string; at: number } | null {
  return entries
    .map((entry) => moment(entry, ...fields))
    .reduce<{ time: string; at: number } | null>(
      (last, m) => (last && last.at >= m.at ? last : m),
      null,
    );
}
