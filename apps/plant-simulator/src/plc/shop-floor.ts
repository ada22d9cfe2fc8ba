import { startModbusSimulator, type ModbusSimulator } from '../modbus/modbus-simulator';
import { startOpcUaSimulator, type OpcUaSimulator } from '../opcua/opcua-simulator';
import { PlcMachines } from './plc-machines.model';

export interface ShopFloorOptions {
  /** 0 picks a free port. */
  opcuaPort: number;
  modbusPort: number;
  host?: string;
  /** The OPC UA server's certificate and trust lists. */
  pkiDir: string;
}

/** The PLC side of the simulator: one machine model behind an OPC UA and a Modbus TCP server. */
export interface ShopFloor {
  readonly machines: PlcMachines;
  readonly opcua: OpcUaSimulator;
  readonly modbus: ModbusSimulator;
  close(): Promise<void>;
}

export async function startShopFloor(options: ShopFloorOptions): Promise<ShopFloor> {
  const machines = new PlcMachines();
  const host = options.host ?? '127.0.0.1';
  const opcua = await startOpcUaSimulator({
    port: options.opcuaPort,
    host,
    machines,
    pkiDir: options.pkiDir,
  });
  const modbus = await startModbusSimulator({ port: options.modbusPort, host, machines });
  return {
    machines,
    opcua,
    modbus,
    close: async () => {
      await Promise.all([opcua.close(), modbus.close()]);
    },
  };
}
