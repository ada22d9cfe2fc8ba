import {
  answerCounts,
  scriptArgument,
  type ModbusWorkload,
  type OpcUaWorkload,
} from './plc-bench-support';
import type { RunningLoad } from './plc-raw-opcua.measure';

export type RawArguments =
  { protocol: 'opcua'; workload: OpcUaWorkload } | { protocol: 'modbus'; workload: ModbusWorkload };

/**
 * A baseline (plain node-opcua or modbus-serial) in a process of its own, so that its RSS and
 * CPU are its own: answers count requests and stops when the orchestrator disconnects.
 */
async function main(): Promise<void> {
  const argument = scriptArgument<RawArguments>();
  const load = await start(argument);
  answerCounts(() => load.count());
  process.once('disconnect', () => {
    void load.stop().finally(() => process.exit(0));
  });
}

/** Loads only the library it measures, so that the other one's memory is not counted. */
async function start(argument: RawArguments): Promise<RunningLoad> {
  if (argument.protocol === 'opcua') {
    const { startRawOpcUa } = await import('./plc-raw-opcua.measure');
    return startRawOpcUa(argument.workload);
  }
  const { startRawModbus } = await import('./plc-raw-modbus.measure');
  return startRawModbus(argument.workload);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:plc baseline failed: ${String(error)}\n`);
  process.exit(1);
});
