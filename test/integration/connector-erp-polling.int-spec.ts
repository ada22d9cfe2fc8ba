import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEnvelope } from '@threadline/contracts';
import { CONNECTOR_ERP_SERVICE } from '../../apps/connector-erp/src';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { eventually } from '@threadline/testing';
import { ConnectorHarness } from '../support/connector-harness';

/** Every ERP poll in the example configuration runs each second in these tests. */
const fastPolling = (_file: string, text: string) =>
  text.replace(/intervalSeconds: \d+/g, 'intervalSeconds: 1');

async function receive(harness: ConnectorHarness, batch: string): Promise<void> {
  await harness.sim('POST', '/_sim/erp/goods-receipts', {
    material: 'MAT-100',
    batch,
    quantity: 40,
    supplier: 'SUP-77',
    supplierBatch: `S-${batch}`,
    purchaseOrder: '4500000077',
  });
}

async function receivedFor(harness: ConnectorHarness, prefix: string) {
  const events = await harness.published('material.lot.received');
  return events.filter((event) => String(event.data.lotId).startsWith(prefix));
}

describe('connector-erp polling (RabbitMQ, PostgreSQL, SAP-style simulator)', () => {
  let harness: ConnectorHarness;

  beforeAll(async () => {
    harness = await ConnectorHarness.start({
      service: CONNECTOR_ERP_SERVICE,
      editConfig: fastPolling,
    });
  });

  afterAll(() => harness?.close());

  it('resumes from its cursor after a restart: no gap, no repeat', async () => {
    for (const batch of ['RCV-A1', 'RCV-A2', 'RCV-A3']) await receive(harness, batch);
    await eventually(async () => (await receivedFor(harness, 'RCV-A')).length === 3, '3 receipts');
    await harness.stopService();
    const stoppedAt = new Date().toISOString();
    for (const batch of ['RCV-A4', 'RCV-A5']) await receive(harness, batch);
    await harness.startService();
    await eventually(async () => (await receivedFor(harness, 'RCV-A')).length >= 5, '5 receipts');
    // One more poll round after the last one arrived: nothing may come twice.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const events = await receivedFor(harness, 'RCV-A');
    expect(events.map((event) => event.data.lotId).sort()).toEqual([
      'RCV-A1',
      'RCV-A2',
      'RCV-A3',
      'RCV-A4',
      'RCV-A5',
    ]);
    expect(new Set(events.map((event) => event.idempotencykey)).size).toBe(5);
    const firstPollAfterRestart = harness.simulator.state.requestLog.erp.find(
      (request) => request.at >= stoppedAt && request.path.endsWith('/A_MaterialDocumentItem'),
    )!;
    const query = decodeURIComponent(
      JSON.stringify(firstPollAfterRestart.query).replace(/\+/g, ' '),
    );
    expect(query).toContain("LastChangeDateTime gt datetimeoffset'");
  });

  it('relays receipts, shipments, released orders and batch status as canonical events', async () => {
    await receive(harness, 'RCV-B1');
    await harness.sim('POST', '/_sim/erp/shipments', {
      customer: 'CUST-9',
      salesOrder: 'SO-9',
      lines: [{ material: 'MAT-100', batch: 'RCV-B1', quantity: 5 }],
    });
    await harness.sim('POST', '/_sim/erp/production-orders', {
      material: 'MAT-900',
      quantity: 25,
      order: '1000777',
      line: 'LINE-2',
    });
    const find = async (type: string, match: (event: CloudEventEnvelope) => boolean) =>
      (await harness.published(type)).find(match);
    await eventually(
      async () =>
        (await find('shipment.dispatched', (e) => e.data.customerId === 'CUST-9')) !== undefined &&
        (await find('production.order.released', (e) => e.subject === '1000777')) !== undefined,
      'shipment and order events',
    );
    const shipment = await find('shipment.dispatched', (e) => e.data.customerId === 'CUST-9');
    expect(shipment!.data).toMatchObject({
      salesOrderId: 'SO-9',
      lines: [{ lotId: 'RCV-B1', quantity: { value: 5, uom: 'EA' } }],
    });
    const order = await find('production.order.released', (e) => e.subject === '1000777');
    expect(order!.data).toMatchObject({ materialId: 'MAT-900', lineId: 'LINE-2' });
    await eventually(
      async () =>
        (await find('inventory.lot.status.changed', (e) => e.subject === 'RCV-B1')) !== undefined,
      'batch status of the received lot',
    );
  });
});

describe('connector-erp with a broken mapping', () => {
  let harness: ConnectorHarness;

  beforeAll(async () => {
    harness = await ConnectorHarness.start({
      service: CONNECTOR_ERP_SERVICE,
      editConfig: (file, text) => fastPolling(file, text),
    });
    // The shipment mapping now sets a number where the contract wants an id.
    await harness.stopService();
    writeFileSync(
      join(harness.configDirectory, 'mappings', 'erp-shipment.jsonata'),
      '{ "shipmentId": 42, "customerId": Customer, "salesOrderId": SalesOrder, "lines": [], "shippedAt": "yesterday" }',
    );
    // And the hold answer forgets the lots.
    writeFileSync(
      join(harness.configDirectory, 'mappings', 'erp-hold-placed.result.jsonata'),
      '{ "holdId": response.d.HoldId, "reason": "x", "placedAt": "2026-05-14T08:30:00Z" }',
    );
    await harness.startService();
  });

  afterAll(() => harness?.close());

  it('sends the unmappable record to the ingress DLQ with its errors, never to the bus', async () => {
    const before = await harness.metrics.text();
    await harness.sim('POST', '/_sim/erp/shipments', {
      customer: 'CUST-BAD',
      salesOrder: 'SO-BAD',
      lines: [{ material: 'MAT-100', batch: 'LOT-1001', quantity: 1 }],
    });
    const shipmentLetters = async () =>
      (await harness.deadLetters('ingress')).filter((dead) =>
        String(dead.headers['x-error-message']).includes('shipment.dispatched'),
      );
    await eventually(async () => (await shipmentLetters()).length > 0, 'a rejection');
    const [letter] = await shipmentLetters();
    expect(await harness.deadLetters('ingress')).toHaveLength(1);
    const rejection = JSON.parse(letter.body.toString('utf8'));
    expect(letter.headers['x-error-kind']).toBe('validation');
    expect(String(letter.headers['x-error-message'])).toContain('shipment.dispatched');
    expect(rejection).toMatchObject({
      connector: 'erp-sap',
      eventType: 'shipment.dispatched',
      reason: 'schema-invalid',
      payload: { Customer: 'CUST-BAD', GoodsMovementType: '601' },
    });
    const paths = rejection.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['/data/shipmentId', '/data/lines']));
    expect(await harness.published('shipment.dispatched')).toEqual([]);
    const counted = (text: string) =>
      Number(
        /threadline_mapping_output_invalid_total\{connector="erp-sap",type="shipment.dispatched"\} (\d+)/.exec(
          text,
        )?.[1] ?? 0,
      );
    expect(counted(await harness.metrics.text())).toBeGreaterThan(counted(before));
  });

  it('dead-letters a command whose answer does not map, with integration.command.failed', async () => {
    const command = holdPlace('LOT-2001');
    await harness.send(command);
    const failed = await failureFor(harness, command);
    expect(String(failed.data.error)).toContain('erp-hold-placed.result.jsonata');
    expect(String(failed.data.error)).toContain('lotIds');
    const letter = (await harness.deadLetters('commands')).find((d) => d.messageId === command.id);
    expect(letter?.headers['x-error-kind']).toBe('handler');
    expect(await harness.published('inventory.hold.placed')).toEqual([]);
  });

  it('dead-letters a command whose retries are spent while the ERP is away', async () => {
    await harness.sim('POST', '/_sim/faults/erp', { outage: true });
    try {
      const command = holdPlace('LOT-1001');
      await harness.send(command);
      const failed = await failureFor(harness, command);
      expect(failed.data.attempts).toBe(4);
      const letter = (await harness.deadLetters('commands')).find(
        (dead) => dead.messageId === command.id,
      );
      expect(letter?.headers['x-error-kind']).toBe('max-attempts');
    } finally {
      await harness.sim('DELETE', '/_sim/faults/erp');
    }
  });
});

function holdPlace(lot: string): CloudEventEnvelope {
  return buildEnvelope({
    type: 'erp.inventory.hold.place',
    data: { lotIds: [lot], reason: 'NC-9', requestedBy: { id: 'qe-1', kind: 'user' } },
    subject: lot,
    source: { plant: 'PLANT-01', system: 'threadline', connectorId: 'orchestrator' },
    fact: { key: `test:${randomUUID()}:hold-place` },
  }) as unknown as CloudEventEnvelope;
}

async function failureFor(
  harness: ConnectorHarness,
  command: CloudEventEnvelope,
): Promise<CloudEventEnvelope> {
  const find = async () =>
    (await harness.published('integration.command.failed')).find(
      (event) => event.causationid === command.id,
    );
  await eventually(async () => (await find()) !== undefined, 'integration.command.failed', 30_000);
  return (await find())!;
}
