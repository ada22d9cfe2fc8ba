export { REDACTED, REDACT_PATHS, redactUrlCredentials } from './log-redaction';
export {
  createLogger,
  withEventContext,
  type EventLogContext,
  type Logger,
  type LoggerOptions,
} from './logger';
export {
  TARGET_STATE_VALUE,
  UNKNOWN_TYPE_LABEL,
  boundedTypeLabel,
  type ConsumeOutcome,
  type ConsumedLabels,
  type HandlerLabels,
  type MappingLabels,
  type PlcSourceLabels,
  type PublishOutcome,
  type PublishedLabels,
  type QueueLabels,
  type RetryLabels,
  type ServiceLabels,
  type SystemLabels,
  type TargetState,
  type WebhookRejectedLabels,
} from './metric-labels';
export type { CounterMetric, GaugeMetric, HistogramMetric } from './metric-factories';
export {
  MetricsRegistry,
  defaultMetrics,
  type MetricsCollector,
  type MetricsRegistryOptions,
} from './metrics.registry';
export {
  startMetricsServer,
  type MetricsServer,
  type MetricsServerOptions,
} from './metrics.server';
export { readinessOf, type ComponentHealth, type ReadinessReport } from './health';
