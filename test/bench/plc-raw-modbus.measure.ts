import ModbusRTU from 'modbus-serial';
import { BENCH_REGISTER_START } from '../../apps/plant-simulator/src/modbus/modbus-register-map';
import type { ModbusWorkload } from './plc-bench-support';
import type { RunningLoad } from './plc-raw-opcua.measure';
import { MODBUS_MAX_READ } from './plc-workload';

/**
 * The ceiling for Modbus: plain modbus-serial on one TCP connection, each unit reading the same
 * registers in the same 125-register requests back to back (one request in flight per unit, as
 * the connector's poller has, units concurrently), counting registers read. No decoding, no
 * pipeline, no database, no broker, and no interval: as fast as the simulator answers.
 */
export async function startRawModbus(workload: ModbusWorkload): Promise<RunningLoad> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port: workload.port });
  client.setTimeout(1_000);
  let registers = 0;
  let running = true;
  const reads = requests(workload.registersPerUnit);
  const loops = workload.unitIds.map(async (unitId) => {
    while (running) {
      for (const { address, count } of reads) {
        // The unit id is taken while the request is written, synchronously: set it just before.
        client.setID(unitId);
        const answer = await client.readHoldingRegisters(address, count);
        registers += answer.data.length;
      }
    }
  });
  return {
    count: () => registers,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      await new Promise<void>((resolve) => client.close(() => resolve()));
    },
  };
}

function requests(registers: number): Array<{ address: number; count: number }> {
  const reads: Array<{ address: number; count: number }> = [];
  for (let offset = 0; offset < registers; offset += MODBUS_MAX_READ) {
    const count = Math.min(MODBUS_MAX_READ, registers - offset);
    reads.push({ address: BENCH_REGISTER_START + offset, count });
  }
  return reads;
}
