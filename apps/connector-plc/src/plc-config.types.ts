/**
 * The `spec.plc` section of a PLC connector configuration (schemas/config/connector/v1.json,
 * `$defs/Plc`), after loading: defaults applied. Written by hand beside the schema.
 */

/** Where a raw PLC value lands in the canonical model, and how it is scaled. */
export interface TagTarget {
  assetId: string;
  tag: string;
  unit?: string;
  /** value * factor + offset, for numeric values. */
  scale?: { factor: number; offset: number };
}

export type OpcUaSecurityMode = 'None' | 'Sign' | 'SignAndEncrypt';
export type OpcUaSecurityPolicy = 'None' | 'Basic256Sha256' | 'Aes128_Sha256_RsaOaep';

export interface OpcUaItem extends TagTarget {
  nodeId: string;
  samplingIntervalMs: number;
  queueSize: number;
  deadband?: { type: 'absolute' | 'percent'; value: number };
}

export interface OpcUaSubscription {
  name: string;
  publishingIntervalMs: number;
  items: OpcUaItem[];
}

export interface OpcUaEndpoint {
  name: string;
  /** `opc.tcp://host:port/path` */
  endpoint: string;
  securityMode: OpcUaSecurityMode;
  securityPolicy: OpcUaSecurityPolicy;
  /** Client certificate and trust lists (`own/`, `trusted/`, `rejected/`); default ./data/pki. */
  pkiDir: string;
  subscriptions: OpcUaSubscription[];
}

export type ModbusFunction = 'holding' | 'input' | 'coil' | 'discrete';
export type ModbusType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'bool';
export type ByteOrder = 'big' | 'little';

export interface ModbusRegister extends TagTarget {
  function: ModbusFunction;
  address: number;
  type: ModbusType;
  /** Byte order within each 16-bit register (default big, as Modbus sends it). */
  byteOrder: ByteOrder;
  /** Order of the two registers of a 32-bit value (default big: high word first). */
  wordOrder: ByteOrder;
}

export interface ModbusPollGroup {
  name: string;
  intervalMs: number;
  registers: ModbusRegister[];
}

export interface ModbusUnit {
  unitId: number;
  timeoutMs: number;
  pollGroups: ModbusPollGroup[];
}

export interface ModbusEndpoint {
  name: string;
  host: string;
  port: number;
  units: ModbusUnit[];
}

export interface TelemetrySettings {
  /** Samples per `equipment.telemetry.sampled` event (per asset). */
  maxBatchSize: number;
  /** Longest a sample waits for its batch to fill. */
  maxDelayMs: number;
}

/** `equipment.alarm.raised` when the value passes the limit for minDurationMs; cleared past the hysteresis. */
export interface AlarmRule {
  assetId: string;
  tag: string;
  alarmCode: string;
  severity: 'info' | 'warning' | 'critical';
  /** Raise above this value ... */
  above?: number;
  /** ... or below this one. */
  below?: number;
  /** The value must come back this far inside the limit to clear. */
  hysteresis: number;
  minDurationMs: number;
}

/** `equipment.downtime.started` when the running signal is false for afterSeconds; ended when true. */
export interface DowntimeRule {
  assetId: string;
  tag: string;
  afterSeconds: number;
  reasonCode: string;
}

export interface PlcSettings {
  opcua: OpcUaEndpoint[];
  modbus: ModbusEndpoint[];
  telemetry: TelemetrySettings;
  rules: { alarms: AlarmRule[]; downtime: DowntimeRule[] };
}

/** One value read from a PLC, already scaled and named. */
export interface SignalSample {
  assetId: string;
  tag: string;
  value: number | boolean | string;
  /** When the PLC (or the poll) saw it, ISO 8601. */
  sourceTime: string;
  quality: 'good' | 'uncertain' | 'bad';
}

/** Where sources deliver samples; it never throws and never blocks the source. */
export type SampleSink = (samples: readonly SignalSample[]) => void;

/** An OPC UA client or a Modbus poller: delivers samples from start until stop. */
export interface SignalSource {
  readonly name: string;
  start(sink: SampleSink): Promise<void>;
  stop(): Promise<void>;
  /** up: connected and reading; degraded: reconnecting or partly failing; down: no connection. */
  state(): 'up' | 'degraded' | 'down';
}
