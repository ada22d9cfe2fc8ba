export { OpcUaSource, type OpcUaSourceOptions } from './opcua/opcua.source';
export {
  describeCertificate,
  ensureClientCertificate,
  trustServerCertificate,
  type CertificateSummary,
  type TrustedServerCertificate,
} from './opcua/opcua-pki';
export { OpcUaConnectionError, type OpcUaFailure } from './opcua/opcua.errors';
