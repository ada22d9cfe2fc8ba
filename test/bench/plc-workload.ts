import type { ConnectorConfig } from '@threadline/connector-sdk';
import type {
  AlarmRule,
  ModbusRegister,
  ModbusUnit,
  OpcUaItem,
  OpcUaSubscription,
  PlcSettings,
  TagTarget,
} from '../../apps/connector-plc/src/plc-config.types';
import { benchNodeId } from '../../apps/plant-simulator/src/opcua/opcua-bench-nodes';
import { BENCH_REGISTER_START } from '../../apps/plant-simulator/src/modbus/modbus-register-map';
import type { ConnectorSettings, ModbusWorkload, OpcUaWorkload } from './plc-bench-support';

/** The Modbus example paced at 100 ms, and as fast as the schema allows (10 ms). */
export const MODBUS_PACED_MS = 100;
export const MODBUS_FAST_MS = 10;

/** The most registers one Modbus read (function 3 or 4) may ask for. */
export const MODBUS_MAX_READ = 125;

/** Signal `index` of the workload: asset BENCH-<n> of `tagsPerAsset` tags, tag `value-<index>`. */
function target(index: number, tagsPerAsset: number): TagTarget {
  const asset = Math.floor(index / tagsPerAsset);
  return { assetId: `BENCH-${String(asset).padStart(3, '0')}`, tag: `value-${index}` };
}

/** The items of the OPC UA workload split over its subscriptions, in node order. */
export function opcUaSubscriptions(
  workload: OpcUaWorkload,
  tagsPerAsset = 100,
): OpcUaSubscription[] {
  const perSubscription = Math.ceil(workload.items / workload.subscriptions);
  return Array.from({ length: workload.subscriptions }, (_, group) => {
    const first = group * perSubscription;
    const count = Math.max(0, Math.min(perSubscription, workload.items - first));
    const items = Array.from({ length: count }, (_, offset): OpcUaItem => ({
      ...target(first + offset, tagsPerAsset),
      nodeId: benchNodeId(first + offset),
      samplingIntervalMs: workload.samplingIntervalMs,
      queueSize: workload.queueSize,
    }));
    return {
      name: `bench-${group}`,
      publishingIntervalMs: workload.publishingIntervalMs,
      items,
    };
  });
}

/** One poll group per unit over its bench registers, uint16 each. */
export function modbusUnits(workload: ModbusWorkload, tagsPerAsset = 100): ModbusUnit[] {
  return workload.unitIds.map((unitId, unitIndex) => {
    const registers = Array.from(
      { length: workload.registersPerUnit },
      (_, offset): ModbusRegister => ({
        ...target(unitIndex * workload.registersPerUnit + offset, tagsPerAsset),
        function: 'holding',
        address: BENCH_REGISTER_START + offset,
        type: 'uint16',
        byteOrder: 'big',
        wordOrder: 'big',
      }),
    );
    return {
      unitId,
      timeoutMs: 1_000,
      pollGroups: [{ name: 'bench', intervalMs: workload.intervalMs, registers }],
    };
  });
}

/** Alarm rules on the first `count` tags, with thresholds the bench values never cross. */
function alarmRules(count: number, tagsPerAsset: number): AlarmRule[] {
  return Array.from({ length: count }, (_, index) => ({
    ...target(index, tagsPerAsset),
    alarmCode: `BENCH-HIGH-${index}`,
    severity: 'warning',
    above: 1e12,
    hysteresis: 1,
    minDurationMs: 1_000,
  }));
}

/** A PLC connector configuration as the loader would produce it (defaults applied). */
export function connectorConfig(
  settings: ConnectorSettings,
  sources: { opcua?: OpcUaWorkload; modbus?: ModbusWorkload; pkiDir: string },
): ConnectorConfig {
  const { tagsPerAsset } = settings;
  const plc: PlcSettings & { buffer: { maxBytes: number; maxAgeHours: number } } = {
    opcua: sources.opcua
      ? [
          {
            name: 'bench-opcua',
            endpoint: sources.opcua.endpointUrl,
            securityMode: 'None',
            securityPolicy: 'None',
            pkiDir: sources.pkiDir,
            subscriptions: opcUaSubscriptions(sources.opcua, tagsPerAsset),
          },
        ]
      : [],
    modbus: sources.modbus
      ? [
          {
            name: 'bench-modbus',
            host: '127.0.0.1',
            port: sources.modbus.port,
            units: modbusUnits(sources.modbus, tagsPerAsset),
          },
        ]
      : [],
    telemetry: { maxBatchSize: settings.maxBatchSize, maxDelayMs: settings.maxDelayMs },
    rules: { alarms: alarmRules(settings.alarmRules, tagsPerAsset), downtime: [] },
    buffer: { maxBytes: 1 << 30, maxAgeHours: 168 },
  };
  return {
    apiVersion: 'threadline/v1',
    kind: 'Connector',
    metadata: { name: 'plc-bench', plant: 'PLANT-01' },
    spec: { system: 'plc', adapter: 'plc', plc: plc as unknown as Record<string, unknown> },
  };
}
