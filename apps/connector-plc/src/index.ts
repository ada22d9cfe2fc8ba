/** Public entry of the PLC connector, for the all-in-one composition root (ADR 0006). */
export { CONNECTOR_PLC_SERVICE, plcHostFromEnvironment } from './connector-plc.service';
export { PLC_CONNECTOR, PLC_EVENTS } from './plc.connector';
export { PlcHost, type PlcHostOptions, type SourceFactory } from './plc.host';
export type { PlcSettings, SignalSample, SignalSource } from './plc-config.types';
export { trustServerCertificate } from './opcua/opcua-trust';
export type { CertificateSummary, TrustedServerCertificate } from './opcua/opcua-pki';
export { OpcUaConnectionError, type OpcUaFailure } from './opcua/opcua.errors';
