/**
 * Label sets of Threadline's metrics. Every label has a bounded set of values (services,
 * queues, catalog types, outcomes); ids of events, lots or orders never become labels.
 */
export type PublishOutcome = 'confirmed' | 'failed';
export type ConsumeOutcome = 'ack' | 'retry' | 'dlq' | 'duplicate';
export type TargetState = 'up' | 'degraded' | 'down';

export interface PublishedLabels {
  service: string;
  exchange: string;
  type: string;
  outcome: PublishOutcome;
}

export interface ConsumedLabels {
  service: string;
  queue: string;
  type: string;
  outcome: ConsumeOutcome;
}

export interface HandlerLabels {
  service: string;
  queue: string;
  type: string;
}

export interface RetryLabels {
  service: string;
  queue: string;
  /** The retry tier the message was sent to (its name or index from the retry policy). */
  tier: string;
}

export interface QueueLabels {
  queue: string;
}

export interface ServiceLabels {
  service: string;
}

export interface MappingLabels {
  connector: string;
  type: string;
}

/** A PLC connection of a connector: `source` is its configured name (bounded). */
export interface PlcSourceLabels {
  connector: string;
  source: string;
}

export interface SystemLabels {
  system: string;
}

export interface WebhookRejectedLabels {
  connector: string;
  /** The webhook's configured name, never its request path. */
  webhook: string;
  /** A fixed word: a signature failure reason, `payload-too-large`, `invalid-json`, ... */
  reason: string;
}

/** `threadline_connector_target_up` values. */
export const TARGET_STATE_VALUE: Readonly<Record<TargetState, number>> = {
  up: 1,
  degraded: 0.5,
  down: 0,
};

export const UNKNOWN_TYPE_LABEL = 'unknown';

/**
 * The `type` label for a message: the type itself when it is in the catalog, `unknown`
 * otherwise, so a stream of garbage types cannot create unbounded time series.
 */
export function boundedTypeLabel(
  type: unknown,
  knownTypes: ReadonlySet<string> | readonly string[],
): string {
  if (typeof type !== 'string') return UNKNOWN_TYPE_LABEL;
  const known = isSet(knownTypes) ? knownTypes.has(type) : knownTypes.includes(type);
  return known ? type : UNKNOWN_TYPE_LABEL;
}

function isSet(values: ReadonlySet<string> | readonly string[]): values is ReadonlySet<string> {
  return !Array.isArray(values);
}
