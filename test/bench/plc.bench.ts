import { join } from 'node:path';
import { createTestVhost } from '@threadline/testing';
import { EDGE_PROCESS_ENV } from '../../apps/threadline/src/runtime/heap-profile';
import {
  ProcessWatch,
  exited,
  forkCompiled,
  type ConnectorSettings,
  type ModbusWorkload,
  type OpcUaWorkload,
  type Timing,
} from './plc-bench-support';
import { compileForChildProcesses } from './plc-build';
import { runDrain } from './plc-drain.case';
import { runBaseline, runConnector, type BenchContext } from './plc-case.runner';
import { plcReport, type ModbusOutcomes, type OpcUaOutcomes, type PlcOutcomes } from './plc-report';
import type { SimulatorArguments, SimulatorReady } from './plc-simulator.process';
import { TelemetryCounter } from './plc-telemetry.counter';
import { MODBUS_FAST_MS, MODBUS_PACED_MS, connectorConfig } from './plc-workload';

export interface PlcBenchSettings {
  readonly timing: Timing;
  readonly opcua: Omit<OpcUaWorkload, 'endpointUrl'>;
  readonly modbus: Omit<ModbusWorkload, 'port' | 'intervalMs'>;
  readonly connector: ConnectorSettings;
  readonly postgres: boolean;
  readonly only?: 'opcua' | 'modbus';
  /** Runs only the drain case: this many telemetry events buffered before the connector starts. */
  readonly drain?: number;
  /**
   * Environment of the connector process: the edge settings deploy/docker-compose.yml starts it
   * with (EDGE_PROCESS_ENV), none with --no-edge-env; --connector-node-options replaces NODE_OPTIONS.
   */
  readonly connectorEnv: Readonly<Record<string, string>>;
}

/**
 * npm run bench:plc [-- --items N] [--subscriptions N] [--queue-size N] [--registers N]
 *   [--batch-size N] [--max-delay-ms N] [--tags-per-asset N] [--alarm-rules N]
 *   [--warm-up-seconds N] [--window-seconds N] [--postgres] [--only opcua|modbus]
 *   [--no-edge-env] [--connector-node-options '<NODE_OPTIONS>'] [--drain N]
 * connector-plc end to end on RabbitMQ, its outbox on SQLite (the edge set-up, ADR 0007; also on
 * PostgreSQL with --postgres): OPC UA monitored-item changes and Modbus registers per second at
 * the source and in telemetry events that reached the broker, RSS and CPU, against plain
 * node-opcua and modbus-serial in the same run. The connector is `threadline serve connector-plc`
 * in a process of its own, started as deploy/docker-compose.yml starts it (EDGE_PROCESS_ENV:
 * NODE_OPTIONS and MALLOC_ARENA_MAX, ADR 0011); each baseline has its own process (plain node);
 * the simulators run in another.
 * --drain N measures instead how the connector drains N telemetry events buffered during an
 * outage (plc-drain.case.ts). Prints one JSON object; exits 0 when a goal is missed.
 */
async function main(): Promise<void> {
  const settings = readSettings();
  const compiled = compileForChildProcesses();
  const vhost = await createTestVhost('bench-plc');
  const simulatorArguments: SimulatorArguments = {
    benchVariables: settings.opcua.items,
    benchRegisters: settings.modbus.registersPerUnit,
  };
  const simulator = forkCompiled(
    join(compiled.directory, 'test', 'bench', 'plc-simulator.process.js'),
    simulatorArguments,
  );
  let counter: TelemetryCounter | undefined;
  let simulatorWatch: ProcessWatch | undefined;
  try {
    const ready = await new Promise<SimulatorReady>((resolve, reject) => {
      simulator.once('message', (message: SimulatorReady) => resolve(message));
      simulator.once('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
    });
    simulatorWatch = new ProcessWatch(simulator.pid!);
    counter = await TelemetryCounter.start(vhost.url);
    const context: BenchContext = {
      compiledRoot: compiled.directory,
      amqpUrl: vhost.url,
      counter,
      simulator: simulatorWatch,
      timing: settings.timing,
      connectorEnv: settings.connectorEnv,
    };
    const outcomes = await runAll(settings, ready, context);
    process.stdout.write(`${JSON.stringify(plcReport(settings, outcomes), null, 2)}\n`);
  } finally {
    simulatorWatch?.stop();
    await counter?.close();
    if (simulator.connected) simulator.disconnect();
    await exited(simulator);
    await vhost.drop();
    compiled.remove();
  }
}

async function runAll(
  settings: PlcBenchSettings,
  ready: SimulatorReady,
  context: BenchContext,
): Promise<PlcOutcomes> {
  const opcua: OpcUaWorkload = { ...settings.opcua, endpointUrl: ready.opcuaEndpointUrl };
  const modbus = (intervalMs: number): ModbusWorkload => ({
    ...settings.modbus,
    port: ready.modbusPort,
    intervalMs,
  });
  const opcUaConfig = (workspace: string) =>
    connectorConfig(settings.connector, { opcua, pkiDir: join(workspace, 'pki') });
  const modbusConfig = (intervalMs: number) => (workspace: string) =>
    connectorConfig(settings.connector, { modbus: modbus(intervalMs), pkiDir: workspace });
  const runs = (protocol: 'opcua' | 'modbus') =>
    settings.only === undefined || settings.only === protocol;
  if (settings.drain !== undefined) return { drain: await runDrain(context, settings.drain) };
  const outcomes: { opcua?: OpcUaOutcomes; modbus?: ModbusOutcomes } = {};
  if (runs('opcua')) {
    outcomes.opcua = {
      raw: await runBaseline(context, { protocol: 'opcua', workload: opcua }),
      sqlite: await runConnector(context, opcUaConfig, 'sqlite', 'OPC UA'),
      postgres: settings.postgres
        ? await runConnector(context, opcUaConfig, 'postgres', 'OPC UA')
        : undefined,
    };
  }
  if (runs('modbus')) {
    const fast = modbusConfig(MODBUS_FAST_MS);
    outcomes.modbus = {
      raw: await runBaseline(context, { protocol: 'modbus', workload: modbus(MODBUS_FAST_MS) }),
      paced: await runConnector(context, modbusConfig(MODBUS_PACED_MS), 'sqlite', 'Modbus 100 ms'),
      fast: await runConnector(context, fast, 'sqlite', 'Modbus 10 ms'),
      fastPostgres: settings.postgres
        ? await runConnector(context, fast, 'postgres', 'Modbus 10 ms')
        : undefined,
    };
  }
  return outcomes;
}

function readSettings(): PlcBenchSettings {
  return {
    timing: {
      warmUpMs: (numberFlag('--warm-up-seconds') ?? 5) * 1000,
      windowMs: (numberFlag('--window-seconds') ?? 20) * 1000,
    },
    opcua: {
      items: numberFlag('--items') ?? 5_000,
      subscriptions: numberFlag('--subscriptions') ?? 5,
      samplingIntervalMs: 100,
      publishingIntervalMs: 100,
      queueSize: numberFlag('--queue-size') ?? 4,
    },
    modbus: { unitIds: [1, 2], registersPerUnit: numberFlag('--registers') ?? 1_000 },
    connector: {
      tagsPerAsset: numberFlag('--tags-per-asset') ?? 100,
      maxBatchSize: numberFlag('--batch-size') ?? 100,
      maxDelayMs: numberFlag('--max-delay-ms') ?? 1_000,
      alarmRules: numberFlag('--alarm-rules', 0) ?? 10,
    },
    postgres: process.argv.includes('--postgres'),
    only: oneOf('--only', ['opcua', 'modbus'] as const),
    drain: numberFlag('--drain'),
    connectorEnv: connectorEnv(),
  };
}

function connectorEnv(): Record<string, string> {
  const env: Record<string, string> = process.argv.includes('--no-edge-env')
    ? {}
    : { ...EDGE_PROCESS_ENV };
  const nodeOptions = stringFlag('--connector-node-options');
  if (nodeOptions !== undefined) env.NODE_OPTIONS = nodeOptions;
  return env;
}

function stringFlag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

function oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
  const value = stringFlag(name);
  if (value === undefined || (values as readonly string[]).includes(value)) {
    return value as T | undefined;
  }
  throw new Error(`${name} must be one of ${values.join(', ')}, got '${value}'`);
}

function numberFlag(name: string, minimum = 1): number | undefined {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(
      `${name} must be an integer of at least ${minimum}, got '${process.argv[index + 1] ?? ''}'`,
    );
  }
  return value;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:plc failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
