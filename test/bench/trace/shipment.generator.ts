import type { Genealogy } from './genealogy.generator';
import { SeededRandom, floats, ints, type Column } from './trace-stats';

export interface ShipmentLines {
  readonly shipment: Column<Int32Array>;
  readonly lineNo: Column<Int32Array>;
  readonly lot: Column<Int32Array>;
  readonly customer: Column<Int32Array>;
  readonly time: Column<Float64Array>;
  readonly quantity: Column<Float64Array>;
}

/** Customers each production line sells to, out of the whole customer base. */
const CUSTOMERS_PER_LINE = 25;

/**
 * `count` shipment lines of finished lots, spread evenly over them in the order they were made
 * (a lot split across deliveries gets several lines, each in its own shipment). A shipment
 * leaves 1-14 days after its first lot was made, holds 1-6 lines for one customer, and takes
 * only lots already made by then. Customers come from the line's own ~25 of `customers`.
 */
export function generateShipments(
  genealogy: Genealogy,
  count: number,
  customers: number,
  seed: number,
): ShipmentLines {
  const random = new SeededRandom(seed);
  const lineCustomers = Array.from({ length: genealogy.lines.depth.length }, () =>
    Array.from({ length: CUSTOMERS_PER_LINE }, () => random.int(0, customers - 1)),
  );
  const out: ShipmentLines = {
    shipment: ints(),
    lineNo: ints(),
    lot: ints(),
    customer: ints(),
    time: floats(),
    quantity: floats(),
  };
  const finished = genealogy.finished.view();
  if (finished.length === 0) return out;
  let shipment = -1;
  let lineNo = 0;
  let size = 0;
  let customer = 0;
  let shippedAt = 0;
  let previousLot = -1;
  for (let j = 0; j < count; j++) {
    const lot = finished[Math.floor((j * finished.length) / count)];
    const madeAt = genealogy.lots.time.get(lot);
    if (lineNo >= size || lot === previousLot || madeAt > shippedAt) {
      shipment += 1;
      lineNo = 0;
      size = random.int(1, 6);
      const customersOfLine = lineCustomers[genealogy.lots.line.get(lot)];
      // Zipf-like: a line's first customers take most of its volume.
      customer = customersOfLine[Math.floor(customersOfLine.length * random.next() ** 2)];
      shippedAt = madeAt + random.int(1, 14) * 86_400;
    }
    lineNo += 1;
    previousLot = lot;
    out.shipment.push(shipment);
    out.lineNo.push(lineNo);
    out.lot.push(lot);
    out.customer.push(customer);
    out.time.push(shippedAt);
    out.quantity.push(random.int(1, 20) * 10);
  }
  return out;
}
