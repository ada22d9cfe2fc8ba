import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startModbusSimulator } from '../../apps/plant-simulator/src/modbus/modbus-simulator';
import { startOpcUaSimulator } from '../../apps/plant-simulator/src/opcua/opcua-simulator';
import { PlcMachines } from '../../apps/plant-simulator/src/plc/plc-machines.model';
import { scriptArgument } from './plc-bench-support';

export interface SimulatorArguments {
  readonly benchVariables: number;
  readonly benchRegisters: number;
}

export interface SimulatorReady {
  readonly type: 'ready';
  readonly opcuaEndpointUrl: string;
  readonly modbusPort: number;
}

/**
 * The plant simulator's OPC UA and Modbus servers with bench load, in a process of their own so
 * that the connector's RSS and CPU are its own. Sends `ready` with the addresses and stops when
 * the orchestrator disconnects.
 */
async function main(): Promise<void> {
  const { benchVariables, benchRegisters } = scriptArgument<SimulatorArguments>();
  const pkiDir = mkdtempSync(join(tmpdir(), 'threadline-bench-plc-sim-'));
  const machines = new PlcMachines();
  const opcua = await startOpcUaSimulator({ machines, pkiDir, benchVariables });
  const modbus = await startModbusSimulator({ machines, benchRegisters });
  process.once('disconnect', () => {
    void Promise.allSettled([opcua.close(), modbus.close()]).then(() => {
      rmSync(pkiDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  const ready: SimulatorReady = {
    type: 'ready',
    opcuaEndpointUrl: opcua.endpointUrl,
    modbusPort: modbus.port,
  };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  process.stderr.write(`plc simulator failed: ${String(error)}\n`);
  process.exit(1);
});
