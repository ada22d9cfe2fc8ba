import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlantSimulator, type PlantSimulator } from '../plant-simulator';
import { call } from '../testing/simulator-test.client';

describe('shop floor control (/_sim/plc)', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'sim-plc-'));
  let simulator: PlantSimulator;

  beforeAll(async () => {
    simulator = await startPlantSimulator({
      port: 0,
      plc: { opcuaPort: 0, modbusPort: 0, pkiDir: join(workspace, 'pki') },
    });
  }, 30_000);

  afterAll(async () => {
    await simulator.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('injects a value, freezes a signal and releases it', async () => {
    const machines = simulator.plc!.machines;
    const injected = await call(simulator.url, 'POST', '/_sim/plc/machines/mixer/temperature', {
      body: { value: 95 },
    });
    expect(injected).toMatchObject({ status: 200, body: { value: 95 } });
    expect(machines.read('mixer', 'temperature')).toBe(95);
    await call(simulator.url, 'DELETE', '/_sim/plc/machines/mixer/temperature');
    expect(machines.read('mixer', 'temperature')).not.toBe(95);
    const frozen = await call(simulator.url, 'POST', '/_sim/plc/machines/mixer/torque/freeze');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(machines.read('mixer', 'torque')).toBe(frozen.body.value);
  });

  it('refuses an unknown machine or signal (404) and a value that is not a number or boolean (400)', async () => {
    const path = '/_sim/plc/machines';
    expect(
      (await call(simulator.url, 'POST', `${path}/oven/torque`, { body: { value: 1 } })).status,
    ).toBe(404);
    expect(
      (await call(simulator.url, 'POST', `${path}/mixer/pressure`, { body: { value: 1 } })).status,
    ).toBe(404);
    const bad = await call(simulator.url, 'POST', `${path}/mixer/torque`, {
      body: { value: 'hot' },
    });
    expect(bad.status).toBe(400);
  });

  it('restarts the Modbus and OPC UA servers on their ports and drops their connections', async () => {
    const { modbus, opcua } = simulator.plc!;
    const before = { modbus: modbus.port, opcua: opcua.endpointUrl };
    for (const action of ['modbus/restart', 'modbus/drop-connections', 'opcua/drop-connections']) {
      expect((await call(simulator.url, 'POST', `/_sim/plc/${action}`)).status).toBe(200);
    }
    expect((await call(simulator.url, 'POST', '/_sim/plc/opcua/restart')).status).toBe(200);
    expect({ modbus: modbus.port, opcua: opcua.endpointUrl }).toEqual(before);
  }, 30_000);
});
