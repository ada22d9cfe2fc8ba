import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ModbusRTU from 'modbus-serial';
import { AttributeIds, MessageSecurityMode, OPCUAClient, SecurityPolicy } from 'node-opcua';
import {
  startModbusSimulator,
  type ModbusSimulator,
} from '../../apps/plant-simulator/src/modbus/modbus-simulator';
import { benchNodeId } from '../../apps/plant-simulator/src/opcua/opcua-bench-nodes';
import {
  startOpcUaSimulator,
  type OpcUaSimulator,
} from '../../apps/plant-simulator/src/opcua/opcua-simulator';
import { PlcMachines } from '../../apps/plant-simulator/src/plc/plc-machines.model';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('plant simulator bench load (bench:plc), over real TCP', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-sim-bench-'));
  const machines = new PlcMachines();
  let opcua: OpcUaSimulator;
  let modbus: ModbusSimulator;
  let plainModbus: ModbusSimulator;
  let client: ModbusRTU;

  beforeAll(async () => {
    opcua = await startOpcUaSimulator({
      machines,
      pkiDir: join(workspace, 'pki'),
      benchVariables: 50,
    });
    modbus = await startModbusSimulator({ machines, benchRegisters: 300 });
    plainModbus = await startModbusSimulator({ machines });
    client = new ModbusRTU();
    client.setTimeout(1_000);
  });

  afterAll(async () => {
    client.close(() => undefined);
    await opcua?.close();
    await modbus?.close();
    await plainModbus?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('serves N OPC UA bench variables whose values differ at every read, and no more', async () => {
    const opcuaClient = OPCUAClient.create({
      securityMode: MessageSecurityMode.None,
      securityPolicy: SecurityPolicy.None,
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 1, initialDelay: 100, maxDelay: 200 },
    });
    await opcuaClient.connect(opcua.endpointUrl);
    const session = await opcuaClient.createSession();
    try {
      const read = async (indexes: number[]) =>
        session.read(
          indexes.map((index) => ({ nodeId: benchNodeId(index), attributeId: AttributeIds.Value })),
        );
      const first = await read([0, 49]);
      await sleep(5);
      const second = await read([0, 49]);
      const values = (reads: typeof first) =>
        reads.map((dataValue) => dataValue.value.value as number);
      expect(first.every((dataValue) => dataValue.statusCode.isGood())).toBe(true);
      // Value i is i plus the clock's milliseconds; both were read within a millisecond or two.
      expect(Math.abs(values(first)[1] - values(first)[0] - 49)).toBeLessThanOrEqual(2);
      expect(values(second)[0]).not.toBe(values(first)[0]);
      const [beyond] = await read([50]);
      expect(beyond.statusCode.isGood()).toBe(false);
    } finally {
      await session.close();
      await opcuaClient.disconnect();
    }
  }, 30_000);

  it('serves N Modbus bench registers from 1000 on both units, different at every read', async () => {
    await client.connectTCP('127.0.0.1', { port: modbus.port });
    for (const unitId of [1, 2]) {
      client.setID(unitId);
      const first = (await client.readHoldingRegisters(1000, 125)).data;
      await sleep(5);
      const second = (await client.readInputRegisters(1000, 125)).data;
      expect(first).toHaveLength(125);
      expect(second.every((word, index) => word !== first[index])).toBe(true);
      // Each word is the address plus the clock: neighbours differ by one (modulo 2^16).
      expect((first[1] - first[0] + 0x10000) % 0x10000).toBe(1);
    }
    client.setID(1);
    await expect(client.readHoldingRegisters(1290, 10)).resolves.toBeDefined();
    await expect(client.readHoldingRegisters(1295, 10)).rejects.toMatchObject({ modbusCode: 2 });
    client.close(() => undefined);
  });

  it('has no bench registers unless asked for them', async () => {
    client = new ModbusRTU();
    client.setTimeout(1_000);
    await client.connectTCP('127.0.0.1', { port: plainModbus.port });
    client.setID(1);
    await expect(client.readHoldingRegisters(1000, 1)).rejects.toMatchObject({ modbusCode: 2 });
  });
});
