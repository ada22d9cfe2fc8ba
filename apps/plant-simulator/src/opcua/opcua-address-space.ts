import {
  DataType,
  makeEUInformation,
  standardUnits,
  type EUInformation,
  type Namespace,
  type UAObject,
  Variant,
} from 'node-opcua';
import {
  MACHINES,
  SIGNALS,
  type MachineId,
  type PlcMachines,
  type SignalName,
} from '../plc/plc-machines.model';
import { benchNodeId } from './opcua-bench-nodes';

/** Browse names of the machines and signals: node ids are `ns=1;s=<Machine>.<Signal>`. */
export const MACHINE_NODE_NAMES: Readonly<Record<MachineId, string>> = {
  'torque-station': 'TorqueStation',
  mixer: 'Mixer',
};
export const SIGNAL_NODE_NAMES: Readonly<Record<SignalName, string>> = {
  torque: 'Torque',
  temperature: 'Temperature',
  spindleSpeed: 'SpindleSpeed',
  running: 'Running',
};

type AnalogSignal = Exclude<SignalName, 'running'>;

/** Engineering ranges (EURange, which percent deadbands are computed against) and units. */
const RANGES: Readonly<Record<MachineId, Record<AnalogSignal, { low: number; high: number }>>> = {
  'torque-station': {
    torque: { low: 0, high: 100 },
    temperature: { low: 0, high: 150 },
    spindleSpeed: { low: 0, high: 3_000 },
  },
  mixer: {
    torque: { low: 0, high: 300 },
    temperature: { low: 0, high: 150 },
    spindleSpeed: { low: 0, high: 1_000 },
  },
};
const UNITS: Readonly<Record<AnalogSignal, EUInformation>> = {
  torque: makeEUInformation('NU', 'N·m', 'newton metre'),
  temperature: standardUnits.degree_celsius,
  spindleSpeed: standardUnits.revolutions_per_minute,
};

/** The node id of one signal, as a client configures it. */
export function opcUaNodeId(machine: MachineId, signal: SignalName): string {
  return `ns=1;s=${MACHINE_NODE_NAMES[machine]}.${SIGNAL_NODE_NAMES[signal]}`;
}

/**
 * Adds one object per machine under Objects, with a variable per signal whose value is read
 * from the machine model each time the server samples it (never cached here), so freezing or
 * injecting a value in the model is what clients see.
 */
export function addMachineNodes(
  namespace: Namespace,
  objectsFolder: UAObject,
  machines: PlcMachines,
  minimumSamplingIntervalMs: number,
): void {
  for (const machine of MACHINES) {
    const name = MACHINE_NODE_NAMES[machine];
    const folder = namespace.addObject({
      organizedBy: objectsFolder,
      browseName: name,
      nodeId: `s=${name}`,
    });
    for (const signal of SIGNALS) {
      const nodeId = opcUaNodeId(machine, signal).replace('ns=1;', '');
      const browseName = SIGNAL_NODE_NAMES[signal];
      const get = () => readVariant(machines, machine, signal);
      if (signal === 'running') {
        namespace.addVariable({
          componentOf: folder,
          browseName,
          nodeId,
          dataType: 'Boolean',
          minimumSamplingInterval: minimumSamplingIntervalMs,
          value: { get },
        });
        continue;
      }
      namespace.addAnalogDataItem({
        componentOf: folder,
        browseName,
        nodeId,
        dataType: 'Double',
        engineeringUnitsRange: RANGES[machine][signal],
        engineeringUnits: UNITS[signal],
        minimumSamplingInterval: minimumSamplingIntervalMs,
        value: { get },
      });
    }
  }
}

function readVariant(machines: PlcMachines, machine: MachineId, signal: SignalName): Variant {
  const value = machines.read(machine, signal);
  return typeof value === 'boolean'
    ? new Variant({ dataType: DataType.Boolean, value })
    : new Variant({ dataType: DataType.Double, value });
}

/**
 * Load for benchmarks: `count` Double variables `ns=1;s=Bench.Value<i>` under an object `Bench`.
 * Each is `i` plus the milliseconds of the clock (modulo 10^6), read at every sample, so a
 * monitored item sampling every 100 ms sees a change at every sample (10 changes a second)
 * whatever the phase of its timer. No machine model behind them; nothing is added when 0.
 */
export function addBenchNodes(
  namespace: Namespace,
  objectsFolder: UAObject,
  count: number,
  minimumSamplingIntervalMs: number,
): void {
  if (count <= 0) return;
  const folder = namespace.addObject({
    organizedBy: objectsFolder,
    browseName: 'Bench',
    nodeId: 's=Bench',
  });
  for (let index = 0; index < count; index++) {
    namespace.addVariable({
      componentOf: folder,
      browseName: `Value${index}`,
      nodeId: benchNodeId(index).replace('ns=1;', ''),
      dataType: 'Double',
      minimumSamplingInterval: minimumSamplingIntervalMs,
      value: {
        get: () => new Variant({ dataType: DataType.Double, value: index + (Date.now() % 1e6) }),
      },
    });
  }
}
