import type { Client } from 'pg';
import type { Genealogy } from './genealogy.generator';
import type { ShipmentLines } from './shipment.generator';

/** The service's genealogy tables this loader fills. */
export const GENEALOGY_TABLES = [
  'lot',
  'lot_link',
  'order_lot',
  'production_order',
  'shipment_line',
] as const;
const CHUNK = 250_000;

interface IndexDefinition {
  readonly table: string;
  readonly name: string;
  readonly definition: string;
  readonly primaryKey: boolean;
}

/**
 * Bulk-loads a generated genealogy into the migrated, empty tables: indexes and primary keys
 * (as the migrations made them) dropped first and rebuilt after, rows sent as a few array
 * parameters per chunk (`INSERT ... SELECT FROM unnest`) with text built server-side, then
 * VACUUM ANALYZE so the planner and index-only scans see what autovacuum would leave.
 */
export async function loadGenealogy(
  client: Client,
  genealogy: Genealogy,
  shipments: ShipmentLines,
  onRowsLoaded: () => void = () => undefined,
): Promise<void> {
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET maintenance_work_mem = '1GB'`);
  const indexes = await dropIndexes(client);
  await insertLots(client, genealogy);
  await insertOrders(client, genealogy);
  await insertLinks(client, genealogy);
  await insertShipments(client, shipments);
  await client.query(`SELECT setval('lot_seq_seq', (SELECT max(seq) FROM lot))`);
  onRowsLoaded();
  for (const index of indexes) await createIndex(client, index);
  for (const table of GENEALOGY_TABLES) await client.query(`VACUUM (ANALYZE) ${table}`);
}

async function dropIndexes(client: Client): Promise<IndexDefinition[]> {
  const { rows } = await client.query<IndexDefinition>(
    `SELECT i.tablename AS table, i.indexname AS name, i.indexdef AS definition,` +
      ` EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p')` +
      ` AS "primaryKey" FROM pg_indexes i WHERE i.schemaname = 'public' AND i.tablename = ANY($1)` +
      ` ORDER BY i.tablename, i.indexname`,
    [GENEALOGY_TABLES],
  );
  for (const index of rows) {
    await client.query(
      index.primaryKey
        ? `ALTER TABLE "${index.table}" DROP CONSTRAINT "${index.name}"`
        : `DROP INDEX "${index.name}"`,
    );
  }
  return rows;
}

async function createIndex(client: Client, index: IndexDefinition): Promise<void> {
  await client.query(index.definition);
  if (index.primaryKey) {
    await client.query(
      `ALTER TABLE "${index.table}" ADD CONSTRAINT "${index.name}" PRIMARY KEY USING INDEX "${index.name}"`,
    );
  }
}

/** Ids as the source systems would send them; seqs and order numbers keep them unique. */
const LOT_ID = (seq: string, stage: string) =>
  `CASE WHEN ${stage} = 0 THEN 'RCV-' ELSE 'LOT-' END || lpad(${seq}::text, 9, '0')`;
const ORDER_ID = (order: string) => `'MO-' || lpad((${order} + 1)::text, 9, '0')`;

async function insertLots(client: Client, g: Genealogy): Promise<void> {
  const count = g.lots.line.length;
  const plants = Int32Array.from(g.lots.line.view(), (line) => g.lines.plant[line]);
  const sql =
    `INSERT INTO lot (seq, lot_id, plant, material_id, origin, origin_at, status,` +
    ` quantity_value, quantity_uom, supplier_id, supplier_lot_id, purchase_order_id, order_id,` +
    ` first_seen_at) SELECT u.seq, ${LOT_ID('u.seq', 'u.stage')},` +
    ` 'P' || lpad((u.plant + 1)::text, 2, '0'), ($8::text[])[u.material + 1],` +
    ` CASE WHEN u.stage = 0 THEN 'received' ELSE 'produced' END, to_timestamp(u.at),` +
    ` CASE WHEN u.seq % 50 = 0 THEN 'blocked' WHEN u.seq % 31 = 0 THEN 'quality-inspection'` +
    ` ELSE 'unrestricted' END, u.quantity, CASE WHEN u.stage = 0 THEN 'KG' ELSE 'PCE' END,` +
    ` CASE WHEN u.stage = 0 THEN 'SUP-' || (u.material % 97 + 1) END,` +
    ` CASE WHEN u.stage = 0 THEN 'SL-' || (u.seq::bigint * 7919 % 1000003) END,` +
    ` CASE WHEN u.stage = 0 THEN 'PO-' || (4500000000 + u.seq / 3) END,` +
    ` CASE WHEN u.stage > 0 THEN ${ORDER_ID('u.ord')} END, to_timestamp(u.at) + interval '2 minutes'` +
    ` FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::float8[], $7::float8[])` +
    ` AS u(seq, stage, plant, material, ord, at, quantity)`;
  for (let from = 0; from < count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK);
    await client.query(sql, [
      literal(Int32Array.from({ length: to - from }, (_, i) => from + i + 1)),
      literal(g.lots.stage.view(from, to)),
      literal(plants.subarray(from, to)),
      literal(g.lots.material.view(from, to)),
      literal(g.lots.order.view(from, to)),
      literal(g.lots.time.view(from, to)),
      literal(g.lots.quantity.view(from, to)),
      g.materials,
    ]);
  }
}

async function insertOrders(client: Client, g: Genealogy): Promise<void> {
  const orders = g.orders.line.length;
  for (let from = 0; from < orders; from += CHUNK) {
    const to = Math.min(orders, from + CHUNK);
    await client.query(
      `INSERT INTO production_order (order_id, plant, first_seen_at, completed_at)` +
        ` SELECT ${ORDER_ID(`(${from} + u.n - 1)`)}, 'P' || lpad((($3::int[])[u.line + 1] + 1)::text, 2, '0'),` +
        ` to_timestamp(u.at), to_timestamp(u.at) + interval '1 hour'` +
        ` FROM unnest($1::int[], $2::float8[]) WITH ORDINALITY AS u(line, at, n)`,
      [
        literal(g.orders.line.view(from, to)),
        literal(g.orders.time.view(from, to)),
        literal(g.lines.plant),
      ],
    );
  }
  const rows = g.orderLots.order.length;
  for (let from = 0; from < rows; from += CHUNK) {
    const to = Math.min(rows, from + CHUNK);
    const lots = g.orderLots.lot.view(from, to);
    await client.query(
      `INSERT INTO order_lot (order_id, role, lot_seq, quantity_value, quantity_uom, at)` +
        ` SELECT ${ORDER_ID('u.ord')}, CASE WHEN u.role = 0 THEN 'input' ELSE 'output' END,` +
        ` u.lot + 1, u.quantity, CASE WHEN u.raw = 1 THEN 'KG' ELSE 'PCE' END, to_timestamp(u.at)` +
        ` FROM unnest($1::int[], $2::int[], $3::int[], $4::float8[], $5::int[], $6::float8[])` +
        ` AS u(ord, role, lot, quantity, raw, at)`,
      [
        literal(g.orderLots.order.view(from, to)),
        literal(g.orderLots.role.view(from, to)),
        literal(lots),
        literal(g.orderLotQuantity.view(from, to)),
        literal(Int32Array.from(lots, (lot) => (g.lots.stage.get(lot) === 0 ? 1 : 0))),
        literal(g.orderLotTime.view(from, to)),
      ],
    );
  }
}

async function insertLinks(client: Client, g: Genealogy): Promise<void> {
  const count = g.links.from.length;
  for (let from = 0; from < count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK);
    const inputs = g.links.from.view(from, to);
    await client.query(
      `INSERT INTO lot_link (from_seq, to_seq, order_id, quantity_value, quantity_uom)` +
        ` SELECT u.from_lot + 1, u.to_lot + 1, ${ORDER_ID('u.ord')}, u.quantity,` +
        ` CASE WHEN u.raw = 1 THEN 'KG' ELSE 'PCE' END` +
        ` FROM unnest($1::int[], $2::int[], $3::int[], $4::float8[], $5::int[])` +
        ` AS u(from_lot, to_lot, ord, quantity, raw)`,
      [
        literal(inputs),
        literal(g.links.to.view(from, to)),
        literal(g.links.order.view(from, to)),
        literal(g.linkQuantity.view(from, to)),
        literal(Int32Array.from(inputs, (lot) => (g.lots.stage.get(lot) === 0 ? 1 : 0))),
      ],
    );
  }
}

async function insertShipments(client: Client, s: ShipmentLines): Promise<void> {
  const count = s.lot.length;
  for (let from = 0; from < count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK);
    await client.query(
      `INSERT INTO shipment_line (shipment_id, line_no, lot_seq, customer_id, sales_order_id,` +
        ` quantity_value, quantity_uom, shipped_at, carrier)` +
        ` SELECT 'SHP-' || lpad((u.shipment + 1)::text, 8, '0'), u.line_no, u.lot + 1,` +
        ` 'CUST-' || lpad((u.customer + 1)::text, 5, '0'), 'SO-' || (7000000 + u.shipment),` +
        ` u.quantity, 'PCE', to_timestamp(u.at), (ARRAY['DHL', 'DSV', 'Kuehne+Nagel'])[u.shipment % 3 + 1]` +
        ` FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::float8[], $6::float8[])` +
        ` AS u(shipment, line_no, lot, customer, quantity, at)`,
      [
        literal(s.shipment.view(from, to)),
        literal(s.lineNo.view(from, to)),
        literal(s.lot.view(from, to)),
        literal(s.customer.view(from, to)),
        literal(s.quantity.view(from, to)),
        literal(s.time.view(from, to)),
      ],
    );
  }
}

/** A PostgreSQL array literal: node-pg would send a typed array as a JSON object. */
function literal(values: Int32Array | Float64Array): string {
  return `{${values.join(',')}}`;
}
