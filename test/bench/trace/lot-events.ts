import { randomUUID } from 'node:crypto';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { generateGenealogy, type Genealogy } from './genealogy.generator';
import { generateShipments } from './shipment.generator';

type Data = Record<string, unknown>;

interface Timed {
  readonly at: number;
  readonly event: () => CloudEventEnvelope;
}

/**
 * The lot events a plant would send for a small generated genealogy, in time order: goods
 * receipts, each order's consumptions and output declarations, and dispatches of finished lots
 * (a shipment line per five lots, as in the bench genealogy). The first `count` are returned.
 */
export function lotEventStream(count: number, seed: number): CloudEventEnvelope[] {
  // About 3.4 events per lot: a receipt or declaration, plus its share of consumptions.
  const lots = Math.ceil(count / 2.5);
  const genealogy = generateGenealogy(lots, seed);
  const lotIds = (lot: number) =>
    `${genealogy.lots.stage.get(lot) === 0 ? 'RCV' : 'LOT'}-${String(lot + 1).padStart(9, '0')}`;
  const timed: Timed[] = [];
  const plantOf = (lot: number) => plant(genealogy.lines.plant[genealogy.lots.line.get(lot)]);
  for (let lot = 0; lot < genealogy.lots.line.length; lot++) {
    const at = genealogy.lots.time.get(lot);
    const quantity = { value: genealogy.lots.quantity.get(lot), uom: 'PCE' };
    if (genealogy.lots.stage.get(lot) === 0) {
      timed.push({
        at,
        event: () =>
          envelope('material.lot.received', plantOf(lot), 'erp', lotIds(lot), at, {
            lotId: lotIds(lot),
            materialId: genealogy.materials[genealogy.lots.material.get(lot)],
            supplierId: `SUP-${(genealogy.lots.material.get(lot) % 97) + 1}`,
            supplierLotId: `SL-${lot + 1}`,
            purchaseOrderId: `PO-${4_500_000_000 + lot}`,
            quantity: { value: quantity.value, uom: 'KG' },
            receivedAt: iso(at),
          }),
      });
    }
  }
  addOrderEvents(genealogy, timed, lotIds, plantOf);
  addShipments(genealogy, timed, lotIds, plantOf, Math.ceil(lots / 5), seed);
  return timed
    .sort((a, b) => a.at - b.at)
    .slice(0, count)
    .map((entry) => entry.event());
}

function addOrderEvents(
  g: Genealogy,
  timed: Timed[],
  lotIds: (lot: number) => string,
  plantOf: (lot: number) => string,
): void {
  for (let row = 0; row < g.orderLots.order.length; row++) {
    const order = `MO-${String(g.orderLots.order.get(row) + 1).padStart(9, '0')}`;
    const lot = g.orderLots.lot.get(row);
    const at = g.orderLotTime.get(row);
    const quantity = { value: g.orderLotQuantity.get(row), uom: 'PCE' };
    const input = g.orderLots.role.get(row) === 0;
    timed.push({
      at,
      event: () =>
        input
          ? envelope('production.material.consumed', plantOf(lot), 'mes', order, at, {
              orderId: order,
              lotId: lotIds(lot),
              quantity,
              consumedAt: iso(at),
            })
          : envelope('production.output.declared', plantOf(lot), 'mes', lotIds(lot), at, {
              orderId: order,
              outputLotId: lotIds(lot),
              materialId: g.materials[g.lots.material.get(lot)],
              quantity,
              declaredAt: iso(at),
            }),
    });
  }
}

function addShipments(
  g: Genealogy,
  timed: Timed[],
  lotIds: (lot: number) => string,
  plantOf: (lot: number) => string,
  lines: number,
  seed: number,
): void {
  const shipments = generateShipments(g, lines, 200, seed);
  for (let row = 0; row < shipments.lot.length;) {
    const shipment = shipments.shipment.get(row);
    const first = row;
    while (row < shipments.lot.length && shipments.shipment.get(row) === shipment) row++;
    const at = shipments.time.get(first);
    const id = `SHP-${String(shipment + 1).padStart(8, '0')}`;
    const lotsShipped = Array.from({ length: row - first }, (_, i) => ({
      lotId: lotIds(shipments.lot.get(first + i)),
      quantity: { value: shipments.quantity.get(first + i), uom: 'PCE' },
    }));
    timed.push({
      at,
      event: () =>
        envelope('shipment.dispatched', plantOf(shipments.lot.get(first)), 'erp', id, at, {
          shipmentId: id,
          customerId: `CUST-${String(shipments.customer.get(first) + 1).padStart(5, '0')}`,
          salesOrderId: `SO-${7_000_000 + shipment}`,
          lines: lotsShipped,
          shippedAt: iso(at),
          carrier: 'DHL Freight',
        }),
    });
  }
}

function envelope(
  type: string,
  plantCode: string,
  system: 'erp' | 'mes',
  subject: string,
  at: number,
  data: Data,
): CloudEventEnvelope {
  const id = randomUUID();
  return {
    specversion: '1.0',
    id,
    type,
    source: `/plants/${plantCode}/${system}/${system}-main`,
    time: iso(at),
    subject,
    datacontenttype: 'application/json',
    dataschema: `urn:threadline:schema:${type}:1`,
    correlationid: id,
    idempotencykey: `${system}:${type}:${id}`,
    plant: plantCode,
    data,
  };
}

function plant(index: number): string {
  return `P${String(index + 1).padStart(2, '0')}`;
}

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
