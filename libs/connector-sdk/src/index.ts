export { targetOf } from './config/connector-config.types';
export type {
  AuthType,
  CommandBinding,
  CommandIdempotency,
  CommandMethod,
  IdentitySettings,
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
  type LoadOptions,
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
export { loadSettingsFile, type SettingsFileOptions } from './config/settings-file';
export type { Environment } from './config/env-interpolation';
export { REDACTED, SECRET_KEYWORD } from './config/secret-fields';
export { renderConfigReference } from './config/config-reference';
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
export {
  CircuitBreaker,
  TARGET_STATE_OF_CIRCUIT,
  type CircuitBreakerOptions,
  type CircuitBreakerSettings,
  type CircuitPermit,
  type CircuitState,
} from './http/circuit-breaker';
export { systemClock, type Clock } from './http/clock';
export { ManualClock } from './http/manual-clock';
export {
  classifyHttpFailure,
  classifyHttpStatus,
  type HttpFailureClass,
  type HttpStatusClass,
} from './http/http-failure.classifier';
export {
  CircuitOpenError,
  HttpPermanentError,
  HttpTransientError,
  type HttpFailureDetails,
} from './http/http.errors';
export {
  createPolicyHttpClient,
  type HttpMethod,
  type PolicyHttpClient,
  type PolicyHttpRequest,
  type PolicyHttpResponse,
} from './http/policy-http.client';
export {
  validatePolicyHttpOptions,
  type PolicyHttpClientOptions,
} from './http/policy-http.options';
export {
  DEFAULT_MAX_WAITERS,
  TokenBucketRateLimiter,
  type RateLimitSettings,
  type TokenBucketOptions,
} from './http/rate-limiter';
export {
  backoffDelayMs,
  parseRetryAfterMs,
  runWithRetry,
  type RetryOptions,
  type RetryPolicy,
} from './http/retry-policy';
export {
  SIGNATURE_PREFIX,
  signWebhook,
  verifyWebhookSignature,
  type HeaderValue,
  type SignWebhookInput,
  type VerifyWebhookSignatureInput,
  type WebhookSignatureFailure,
  type WebhookSignatureResult,
} from '@threadline/security';
export {
  DEFAULT_WEBHOOK_MAX_BODY_BYTES,
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  createWebhookIngress,
} from './webhook/webhook-ingress';
export type {
  WebhookEndpoint,
  WebhookIngress,
  WebhookIngressOptions,
  WebhookRejectionReason,
  WebhookRequest,
  WebhookResponse,
} from './webhook/webhook-ingress.types';
export {
  startWebhookServer,
  type WebhookServer,
  type WebhookServerOptions,
} from './webhook/webhook-http.server';
export type {
  AdapterContext,
  CommandAnswer,
  CommandRequest,
  ConnectorAdapter,
  ConnectorSpec,
  PolledPage,
} from './runtime/connector-spec.types';
export { ConnectorRegistry } from './runtime/connector.registry';
export { CompiledCommandBinding, PathTemplate } from './runtime/command-request';
export { CommandExecutor, type CommandExecutorOptions } from './runtime/command.executor';
export { connectorHttpClient } from './runtime/connector-http';
export { inboundMapperFor } from './runtime/connector-sources';
export {
  ConnectorHost,
  type ConnectorHostOptions,
  type ConnectorRuntime,
  type TargetHealth,
} from './runtime/connector.host';
export { IngressDeadLetters } from './runtime/ingress-dead-letters';
export { PollingLoop, type PollResult, type PollingLoopOptions } from './runtime/polling.loop';
export { probeTarget, type ProbeResult } from './runtime/target-probe';
export { GenericRestAdapter } from './rest/generic-rest.adapter';
export { DEFAULT_CIRCUIT_BREAKER, DEFAULT_RETRY } from './config/connector-defaults';
export { restConnector, type RestConnectorDeclaration } from './rest/rest-connector';
export { restPaging, type RestPaging } from './rest/rest-paging';
export { configFileFor } from './config/config-file';
export {
  connectorHostFromEnvironment,
  connectorService,
  type ConnectorServiceDeclaration,
} from './nest/connector-service';
export { executeCommand } from './nest/execute-command';
export {
  connectorConfigFiles,
  probeConnector,
  type ConnectorProbe,
} from './runtime/connector-probe';
