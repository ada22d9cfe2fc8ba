import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { MessagingRuntime, startService } from '@threadline/messaging';
import { MetricsRegistry, createLogger } from '@threadline/observability';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  type TestDatabase,
  type TestVhost,
} from '@threadline/testing';
import { CONNECTOR_PLC_SERVICE, PlcHost } from '../../apps/connector-plc/src';
import { trustServerCertificate } from '../../apps/connector-plc/src/opcua/opcua-pki';
import {
  startPlantSimulator,
  type PlantSimulator,
} from '../../apps/plant-simulator/src/plant-simulator';

/**
 * connector-plc as production runs it, from connectors/plc.yaml: the torque station over OPC UA
 * (SignAndEncrypt, Basic256Sha256, the server trusted explicitly) and the mixer over Modbus TCP,
 * both from the plant simulator's shop floor, with RabbitMQ and PostgreSQL. Values become
 * telemetry; injected values fire and clear the configured alarm and downtime rules.
 */
describe('connector-plc from the example configuration (OPC UA, Modbus, RabbitMQ, PostgreSQL)', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-plc-'));
  let simulator: PlantSimulator;
  let vhost: TestVhost;
  let database: TestDatabase;
  let runtime: MessagingRuntime;
  let app: INestMicroservice;

  const published = async (type: string): Promise<CloudEventEnvelope[]> => {
    const rows = await runtime.dataSource.query<{ body: string }[]>(
      'SELECT body FROM outbox WHERE routing_key = $1 ORDER BY id',
      [type],
    );
    return rows.map((row) => JSON.parse(row.body) as CloudEventEnvelope);
  };
  const sim = (method: string, path: string, body?: unknown) =>
    fetch(`${simulator.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    simulator = await startPlantSimulator({
      port: 0,
      plc: { opcuaPort: 0, modbusPort: 0, pkiDir: join(workspace, 'server-pki') },
    });
    const floor = simulator.plc!;
    const connectors = join(workspace, 'connectors');
    cpSync(join(__dirname, '..', '..', 'connectors'), connectors, { recursive: true });
    const opcuaPort = new URL(floor.opcua.endpointUrl.replace('opc.tcp', 'http')).port;
    const config = readFileSync(join(connectors, 'plc.yaml'), 'utf8')
      .replace(/(endpoint: opc\.tcp:\/\/\S+):4840\//, `$1:${opcuaPort}/`)
      .replace('port: 5020', `port: ${floor.modbus.port}`)
      .replace(/afterSeconds: 30/g, 'afterSeconds: 1')
      .replace('maxDelayMs: 1000', 'maxDelayMs: 200');
    writeFileSync(join(connectors, 'plc.yaml'), config);
    const pkiDir = join(workspace, 'client-pki');
    await trustServerCertificate(pkiDir, floor.opcua.endpointUrl);
    Object.assign(process.env, { CONNECTORS_DIR: connectors, PLC_PKI_DIR: pkiDir });
    vhost = await createTestVhost('connector-plc');
    database = await createTestDatabase('threadline_connector_plc');
    runtime = await MessagingRuntime.create({
      amqpUrl: vhost.url,
      database: { url: database.url, poolSize: 8 },
      logger: createLogger({
        service: 'connector-plc',
        level: process.env.PLC_TEST_LOG ?? 'silent',
      }),
      metrics: new MetricsRegistry({ collectProcessMetrics: false }),
      connectionName: 'connector-plc-test',
    });
    await runtime.start();
    app = await startService(CONNECTOR_PLC_SERVICE, runtime);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.stop();
    await simulator?.close();
    await vhost?.drop();
    await database?.drop();
    rmSync(workspace, { recursive: true, force: true });
  }, 60_000);

  it('turns both machines’ signals into telemetry, up on both sources', async () => {
    const assets = async () =>
      new Set((await published('equipment.telemetry.sampled')).map((event) => event.subject));
    await eventually(
      async () => (await assets()).has('TORQUE-01') && (await assets()).has('MIXER-01'),
      'telemetry from the torque station (OPC UA) and the mixer (Modbus)',
      20_000,
      200,
    );
    const tags = (await published('equipment.telemetry.sampled'))
      .filter((event) => event.subject === 'MIXER-01')
      .flatMap((event) => event.data.samples as { tag: string; value: unknown }[]);
    const temperature = tags.find((sample) => sample.tag === 'temperature');
    // Register 2 holds the mixer temperature x10; the configured scale 0.1 gives °C (62-68).
    expect(temperature?.value).toBeGreaterThan(55);
    expect(temperature?.value).toBeLessThan(75);
    expect(app.get(PlcHost).health()).toEqual([
      { name: 'plc torque-station', state: 'up' },
      { name: 'plc modbus/mixer', state: 'up' },
    ]);
  });

  it('raises the torque alarm over its limit and clears it once back under the hysteresis', async () => {
    await sim('POST', '/_sim/plc/machines/torque-station/torque', { value: 75 });
    await eventually(
      async () => (await published('equipment.alarm.raised')).length === 1,
      'TORQUE-HIGH raised',
      15_000,
      100,
    );
    await sim('DELETE', '/_sim/plc/machines/torque-station/torque');
    await eventually(
      async () => (await published('equipment.alarm.cleared')).length === 1,
      'TORQUE-HIGH cleared',
      15_000,
      100,
    );
    const [raised] = await published('equipment.alarm.raised');
    expect(raised.data).toMatchObject({
      assetId: 'TORQUE-01',
      alarmCode: 'TORQUE-HIGH',
      severity: 'critical',
      tag: 'torque',
      value: 75,
    });
    expect((await published('equipment.alarm.cleared'))[0].data).toMatchObject({
      assetId: 'TORQUE-01',
      alarmCode: 'TORQUE-HIGH',
    });
  });

  it('starts downtime when the mixer stands past its limit and ends it when it runs again', async () => {
    await sim('POST', '/_sim/plc/machines/mixer/running', { value: false });
    await eventually(
      async () => (await published('equipment.downtime.started')).length === 1,
      'mixer downtime started',
      15_000,
      100,
    );
    await sim('DELETE', '/_sim/plc/machines/mixer/running');
    await eventually(
      async () => (await published('equipment.downtime.ended')).length === 1,
      'mixer downtime ended',
      15_000,
      100,
    );
    const [started] = await published('equipment.downtime.started');
    const [ended] = await published('equipment.downtime.ended');
    expect(started.data).toMatchObject({ assetId: 'MIXER-01', reasonCode: 'UNPLANNED-STOP' });
    expect(ended.data).toMatchObject({ assetId: 'MIXER-01' });
    expect(Date.parse(String(ended.data.endedAt))).toBeGreaterThan(
      Date.parse(String(started.data.startedAt)),
    );
  });
});
