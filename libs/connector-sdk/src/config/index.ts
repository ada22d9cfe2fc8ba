/**
 * `@threadline/connector-sdk/config`, the SDK without its HTTP connector runtime: configuration
 * files (finding, reading, checking), the adapter registry that checks them, the retry defaults
 * and backoff. The main entry also loads axios, JSONata, webhooks and the connector host, about
 * 5 MB of heap and 10 MB of RSS that a service running no HTTP connector (connector-plc, whose
 * edge budget is 150 MB) and the `serve` start-up path do not need (ADR 0011).
 */
export type {
  ConfigIssue,
  ConnectorConfig,
  ConnectorSystem,
  LoadedConnectorConfig,
  RetrySettings,
} from './connector-config.types';
export { ConfigurationError, formatConfigIssue } from './connector-config.errors';
export { loadConnectorConfigsOrThrow, type LoadOptions } from './connector-config.loader';
export { configFileFor } from './config-file';
export { DEFAULT_CIRCUIT_BREAKER, DEFAULT_RETRY } from './connector-defaults';
export type { ConfigRule, RuleViolation } from './cross-field.rules';
export type { Environment } from './env-interpolation';
export { ConnectorRegistry } from '../runtime/connector.registry';
export type { ConnectorSpec } from '../runtime/connector-spec.types';
export { backoffDelayMs } from '../http/retry-policy';
export type { Clock } from '../http/clock';
