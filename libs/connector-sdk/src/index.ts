export type {
  AuthType,
  CommandBinding,
  CommandIdempotency,
  CommandMethod,
  ConfigIssue,
  ConfigLoadResult,
  ConnectorConfig,
  ConnectorSystem,
  LoadedConnectorConfig,
  PollingSource,
  ResolvedMapping,
  RetrySettings,
  TargetAuth,
  TargetSettings,
  WebhookSource,
} from './config/connector-config.types';
export { ConfigurationError, formatConfigIssue } from './config/connector-config.errors';
export {
  loadConnectorConfigs,
  loadConnectorConfigsOrThrow,
  redactConfig,
} from './config/connector-config.loader';
export {
  CONNECTOR_CONFIG_SCHEMA_ID,
  compileConnectorConfigSchema,
  connectorConfigSchema,
} from './config/connector-config.schema';
export { CONNECTOR_CONFIG_RULES, checkConfigRules } from './config/cross-field.rules';
export type { ConfigRule, RuleViolation } from './config/cross-field.rules';
export { interpolateEnvironment } from './config/env-interpolation';
export type { Environment } from './config/env-interpolation';
export { REDACTED, SECRET_KEYWORD } from './config/secret-fields';
export { CURSOR_NAME_MAX_LENGTH, CursorStore } from './cursor/cursor.store';
export {
  InboundMapper,
  type InboundIdentityRules,
  type InboundMapperOptions,
  type InboundMappingResult,
} from './mapping/inbound-mapper';
export { compileMapping, describeJsonataError, type CompiledMapping } from './mapping/mapping';
export {
  rejectMappedOutput,
  type MappingRejection,
  type MappingRejectionSink,
  type RejectMappedOutputInput,
  type RejectionReason,
} from './mapping/mapping-rejection';
export {
  OutboundMapper,
  VENDOR_METHODS,
  checkVendorRequest,
  type OutboundMapperOptions,
  type VendorMethod,
  type VendorRequest,
} from './mapping/outbound-mapper';
