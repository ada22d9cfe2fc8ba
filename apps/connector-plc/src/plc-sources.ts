import type { SourceFactory } from './plc.host';
import type { SignalSource } from './plc-config.types';

/**
 * One source per configured OPC UA endpoint and per Modbus endpoint. The protocol libraries load
 * only when a configuration uses them: node-opcua takes a while to load and prints a warning on
 * Node 20, which commands like `connectors validate` must not pay for.
 */
export const createSignalSources: SourceFactory = async (settings, context) => {
  const { connector, logger, runtime } = context;
  const sources: SignalSource[] = [];
  if (settings.opcua.length > 0) {
    const { OpcUaSource } = await import('./opcua/opcua.source');
    for (const endpoint of settings.opcua) {
      sources.push(new OpcUaSource({ connector, endpoint, logger, metrics: runtime.metrics }));
    }
  }
  if (settings.modbus.length > 0) {
    const { ModbusSource } = await import('./modbus/modbus.source');
    for (const endpoint of settings.modbus) {
      sources.push(new ModbusSource({ connector, endpoint, logger, metrics: runtime.metrics }));
    }
  }
  return sources;
};
