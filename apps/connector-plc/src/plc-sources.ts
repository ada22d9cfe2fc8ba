import type { SourceFactory } from './plc.host';
import { ModbusSource } from './modbus/modbus.source';
import { OpcUaSource } from './opcua/opcua.source';

/** One source per configured OPC UA endpoint and per Modbus endpoint. */
export const createSignalSources: SourceFactory = (settings, { connector, logger, runtime }) => [
  ...settings.opcua.map(
    (endpoint) => new OpcUaSource({ connector, endpoint, logger, metrics: runtime.metrics }),
  ),
  ...settings.modbus.map(
    (endpoint) => new ModbusSource({ connector, endpoint, logger, metrics: runtime.metrics }),
  ),
];
