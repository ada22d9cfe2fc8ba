import { applyScale } from '../modbus/register-decoder';
import type { OpcUaItem, SignalSample } from '../plc-config.types';

/** One notification of a monitored item, as the client hands it over (no node-opcua types). */
export interface OpcUaDataChange {
  value: unknown;
  sourceTimestamp: Date | null;
  serverTimestamp: Date | null;
  quality: SignalSample['quality'];
}

/**
 * The sample for one data change: named and scaled per the item, timed by the PLC's source
 * timestamp (else the server's, else when it arrived). A notification without a usable value (a
 * bad status carries none, arrays and structures are not signals) is no sample: undefined.
 */
export function toSignalSample(
  item: OpcUaItem,
  change: OpcUaDataChange,
  receivedAt: Date,
): SignalSample | undefined {
  const value = toSignalValue(change.value, item);
  if (value === undefined) return undefined;
  const time = change.sourceTimestamp ?? change.serverTimestamp ?? receivedAt;
  return {
    assetId: item.assetId,
    tag: item.tag,
    value,
    sourceTime: time.toISOString(),
    quality: change.quality,
  };
}

function toSignalValue(value: unknown, item: OpcUaItem): SignalSample['value'] | undefined {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? applyScale(value, item) : undefined;
    case 'bigint':
      return applyScale(Number(value), item);
    case 'boolean':
    case 'string':
      return value;
    case 'object':
      return value instanceof Date ? value.toISOString() : undefined;
    case 'function':
    case 'symbol':
    case 'undefined':
      return undefined;
  }
}

/** OPC UA status code severity (the top two bits): 00 good, 01 uncertain, 1x bad. */
export function qualityOf(statusCode: number): SignalSample['quality'] {
  const severity = statusCode >>> 30;
  if (severity === 0) return 'good';
  return severity === 1 ? 'uncertain' : 'bad';
}
