import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  InboundMapper,
  compileMapping,
  createWebhookIngress,
  startWebhookServer,
  type MappingRejection,
  type WebhookServer,
} from '@threadline/connector-sdk';
import type { CloudEvent } from '@threadline/contracts';
import { MessagingRuntime } from '@threadline/messaging';
import { MetricsRegistry, createLogger } from '@threadline/observability';
import { SchemaRegistry } from '@threadline/schema-registry';
import { eventually } from '@threadline/testing';
import {
  startPlantSimulator,
  type PlantSimulator,
} from '../../apps/plant-simulator/src/plant-simulator';

/**
 * The QMS webhook path end to end, all in one process and without outside services: the plant
 * simulator raises a nonconformance and delivers the signed webhook over real HTTP to the
 * ingress, which verifies it, maps it with the connector's mapping file and writes the event to
 * the outbox (SQLite in memory). Redeliveries, forged senders and unmappable payloads never add
 * a second event.
 */
describe('QMS webhook ingress with the plant simulator', () => {
  const SECRET = 'qms-e2e-webhook-secret';
  const PATH = '/webhooks/qms/nonconformances';
  const logger = createLogger({ service: 'webhook-e2e', level: 'silent' });
  const mappingFile = join(__dirname, '../../connectors/mappings/qms-nonconformance.jsonata');
  let runtime: MessagingRuntime;
  let metrics: MetricsRegistry;
  let server: WebhookServer;
  let simulator: PlantSimulator;
  let forger: PlantSimulator | undefined;
  const rejections: MappingRejection[] = [];

  beforeAll(async () => {
    runtime = await MessagingRuntime.create({
      database: { sqlitePath: ':memory:' },
      logger,
      relay: false,
    });
    metrics = new MetricsRegistry({ collectProcessMetrics: false });
    const mapper = new InboundMapper({
      mapping: compileMapping(readFileSync(mappingFile, 'utf8'), 'qms-nonconformance'),
      eventType: 'quality.nonconformance.raised',
      source: { plant: 'PLANT-01', system: 'qms', connectorId: 'qms' },
      identity: { fact: 'raised', time: '$payload.occurred_at' },
      registry: SchemaRegistry.fromDirectory(),
      metrics,
    });
    const ingress = createWebhookIngress({
      connector: 'qms',
      webhooks: [{ name: 'nonconformance-raised', path: PATH, secret: SECRET, mapper }],
      publisher: runtime.publisher,
      logger,
      metrics,
      onRejectedMapping: (rejection) => {
        rejections.push(rejection);
        return Promise.resolve();
      },
    });
    server = await startWebhookServer({ port: 0, ingress });
    simulator = await startPlantSimulator({
      port: 0,
      webhookSecret: SECRET,
      webhookUrls: [`${server.url}${PATH}`],
      webhook: { maxAttempts: 3, retryDelayMs: 50, timeoutMs: 5_000 },
    });
  });

  afterAll(async () => {
    await forger?.close();
    await simulator?.close();
    await server?.close();
    await runtime?.stop();
  });

  async function outboxEvents(): Promise<CloudEvent[]> {
    const rows: { body: string }[] = await runtime.dataSource.query(
      'SELECT body FROM outbox ORDER BY id',
    );
    return rows.map((row) => JSON.parse(row.body) as CloudEvent);
  }

  async function raise(sim: PlantSimulator, body: object): Promise<string> {
    const response = await fetch(`${sim.url}/_sim/qms/nonconformances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { nc_number: string }).nc_number;
  }

  const delivery = (sim: PlantSimulator, index: number) => sim.state.qms.webhookDeliveries[index];

  async function rejectedCount(reason: string): Promise<number> {
    const { values } = await metrics.webhookRejected.get();
    return (
      values.find((value) => (value.labels as { reason?: string }).reason === reason)?.value ?? 0
    );
  }

  it('turns a raised nonconformance into exactly one event with the deterministic key', async () => {
    const ncNumber = await raise(simulator, {
      affected_lots: ['LOT-1001'],
      equipment_ref: 'PRESS-01',
      reported_by: { user_id: 'u.mueller', display_name: 'Anna Mueller' },
    });
    await eventually(() => delivery(simulator, 0)?.status === 'delivered', 'webhook delivered');

    expect(delivery(simulator, 0)).toMatchObject({ attempts: 1, lastStatusCode: 202 });
    const events = await outboxEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'quality.nonconformance.raised',
      subject: ncNumber,
      idempotencykey: `qms:${ncNumber}:raised`,
      data: {
        ncrId: ncNumber,
        severity: 'major',
        lotIds: ['LOT-1001'],
        assetId: 'PRESS-01',
        detectedBy: { id: 'u.mueller', kind: 'user', name: 'Anna Mueller' },
      },
    });
  });

  it('keeps one event when the simulator redelivers the same webhook', async () => {
    const { webhookId } = delivery(simulator, 0);
    const response = await fetch(
      `${simulator.url}/_sim/qms/webhooks/deliveries/${webhookId}/redeliver`,
      { method: 'POST' },
    );
    expect(response.status).toBe(202);
    await eventually(
      () => delivery(simulator, 0).attempts === 2 && delivery(simulator, 0).status === 'delivered',
      'redelivery answered',
    );

    expect(delivery(simulator, 0).lastStatusCode).toBe(200);
    expect(await outboxEvents()).toHaveLength(1);
  });

  it('refuses a sender with the wrong secret with 401, publishes nothing and counts it', async () => {
    forger = await startPlantSimulator({
      port: 0,
      webhookSecret: 'not-the-shared-secret',
      webhookUrls: [`${server.url}${PATH}`],
      webhook: { maxAttempts: 2, retryDelayMs: 20, timeoutMs: 5_000 },
    });
    await raise(forger, { affected_lots: ['LOT-2001'] });
    await eventually(() => delivery(forger!, 0)?.status === 'failed', 'forged webhook given up');

    expect(delivery(forger, 0)).toMatchObject({ attempts: 2, lastStatusCode: 401 });
    expect(await outboxEvents()).toHaveLength(1);
    expect(await rejectedCount('signature-mismatch')).toBe(2);
  });

  it('answers 422 for a payload the mapping rejects, dead-letters it once, publishes nothing', async () => {
    // The QMS accepts any lot text; the canonical Id alphabet has no spaces.
    const ncNumber = await raise(simulator, { affected_lots: ['LOT 1001 (left bay)'] });
    await eventually(() => delivery(simulator, 1)?.status === 'delivered', 'webhook settled');

    // First answer 422; the simulator retries any non-2xx and the retry is a known delivery.
    expect(delivery(simulator, 1)).toMatchObject({ attempts: 2, lastStatusCode: 200 });
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ reason: 'schema-invalid', connector: 'qms' });
    expect(JSON.stringify(rejections[0].payload)).toContain(ncNumber);
    const events = await outboxEvents();
    expect(events.map((event) => event.subject)).not.toContain(ncNumber);
    expect(events).toHaveLength(1);
  });
});
