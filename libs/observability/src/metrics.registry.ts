import { Registry, collectDefaultMetrics } from 'prom-client';
import { counter, gauge, histogram } from './metric-factories';
import type {
  ConsumedLabels,
  HandlerLabels,
  MappingLabels,
  PlcSourceLabels,
  PublishedLabels,
  QueueLabels,
  RetryLabels,
  ServiceLabels,
  SystemLabels,
  WebhookRejectedLabels,
} from './metric-labels';

/** A callback run at scrape time to set gauges from current state (queue depths, outbox size). */
export type MetricsCollector = () => void | Promise<void>;

export interface MetricsRegistryOptions {
  /** Node process metrics (`threadline_process_*`, `threadline_nodejs_*`); default true. */
  collectProcessMetrics?: boolean;
  /** A collector slower than this counts as failed and the scrape goes on; default 5 s. */
  collectorTimeoutMs?: number;
}

const HANDLER_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Event time to handled: sub-second for containment-critical events, up to retries and outages. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * Threadline's metrics in their own prom-client registry (never the global one), so several
 * services in one process, and tests, stay independent.
 */
export class MetricsRegistry {
  readonly registry = new Registry();

  readonly messagesPublished = counter<PublishedLabels>(this.registry, {
    name: 'threadline_messages_published_total',
    help: 'Messages published to the broker, by outcome of the publisher confirm.',
    labelNames: ['service', 'exchange', 'type', 'outcome'],
  });
  readonly messagesConsumed = counter<ConsumedLabels>(this.registry, {
    name: 'threadline_messages_consumed_total',
    help: 'Messages taken from a queue, by what became of them.',
    labelNames: ['service', 'queue', 'type', 'outcome'],
  });
  readonly handlerDuration = histogram<HandlerLabels>(this.registry, {
    name: 'threadline_handler_duration_seconds',
    help: 'Time spent in the message handler.',
    labelNames: ['service', 'queue', 'type'],
    buckets: HANDLER_BUCKETS,
  });
  readonly endToEndLatency = histogram<HandlerLabels>(this.registry, {
    name: 'threadline_end_to_end_latency_seconds',
    help: 'From the event time at the source to the end of its handling.',
    labelNames: ['service', 'queue', 'type'],
    buckets: LATENCY_BUCKETS,
  });
  readonly retries = counter<RetryLabels>(this.registry, {
    name: 'threadline_retries_total',
    help: 'Messages sent to a retry tier after a transient failure.',
    labelNames: ['service', 'queue', 'tier'],
  });
  readonly dlqDepth = gauge<QueueLabels>(this.registry, {
    name: 'threadline_dlq_depth',
    help: 'Messages waiting in a dead-letter queue.',
    labelNames: ['queue'],
  });
  readonly outboxPending = gauge<ServiceLabels>(this.registry, {
    name: 'threadline_outbox_pending',
    help: 'Outbox rows not yet published.',
    labelNames: ['service'],
  });
  readonly outboxOldestAge = gauge<ServiceLabels>(this.registry, {
    name: 'threadline_outbox_oldest_age_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when empty).',
    labelNames: ['service'],
  });
  readonly brokerConnectionUp = gauge<ServiceLabels>(this.registry, {
    name: 'threadline_broker_connection_up',
    help: '1 while the broker connection is open, 0 otherwise.',
    labelNames: ['service'],
  });
  readonly mappingOutputInvalid = counter<MappingLabels>(this.registry, {
    name: 'threadline_mapping_output_invalid_total',
    help: 'Mapped connector payloads rejected by the schema of their type.',
    labelNames: ['connector', 'type'],
  });
  readonly connectorTargetUp = gauge<SystemLabels>(this.registry, {
    name: 'threadline_connector_target_up',
    help: 'Reachability of a target system: 1 up, 0.5 degraded, 0 down.',
    labelNames: ['system'],
  });
  readonly webhookRejected = counter<WebhookRejectedLabels>(this.registry, {
    name: 'threadline_webhook_rejected_total',
    help: 'Webhook requests refused at the ingress (bad signature, stale timestamp, bad body).',
    labelNames: ['connector', 'webhook', 'reason'],
  });
  readonly plcSamples = counter<PlcSourceLabels>(this.registry, {
    name: 'threadline_plc_samples_total',
    help: 'Values read from PLCs (OPC UA notifications, Modbus reads), per source.',
    labelNames: ['connector', 'source'],
  });
  readonly plcPollOverruns = counter<PlcSourceLabels>(this.registry, {
    name: 'threadline_plc_poll_overruns_total',
    help: 'Modbus poll cycles that took longer than their interval (the next one was skipped).',
    labelNames: ['connector', 'source'],
  });
  readonly plcSourceUp = gauge<PlcSourceLabels>(this.registry, {
    name: 'threadline_plc_source_up',
    help: 'A PLC connection: 1 up, 0.5 degraded (reconnecting, partly failing), 0 down.',
    labelNames: ['connector', 'source'],
  });
  readonly plcBufferDropped = counter<{ connector: string }>(this.registry, {
    name: 'threadline_plc_buffer_dropped_total',
    help: 'Events dropped from the edge buffer because it passed its size or age bound.',
    labelNames: ['connector'],
  });
  readonly traceGapsDetected = counter<{ rule: string; severity: string }>(this.registry, {
    name: 'threadline_trace_gaps_detected_total',
    help: 'Traceability gaps found (each once), per rule and severity.',
    labelNames: ['rule', 'severity'],
  });
  readonly traceHoldsPropagated = counter<{ outcome: string }>(this.registry, {
    name: 'threadline_trace_hold_propagations_total',
    help: 'NC holds propagated to descendants: outcome held (a command sent) or nothing-to-hold.',
    labelNames: ['outcome'],
  });
  readonly traceQueryDuration = histogram<{ query: string }>(this.registry, {
    name: 'threadline_trace_query_duration_seconds',
    help: 'Genealogy queries served by the API: trace, recall-scope, lot, report, epcis, gaps.',
    labelNames: ['query'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
  });
  readonly flowsStarted = counter<{ type: string }>(this.registry, {
    name: 'threadline_flows_started_total',
    help: 'Orchestrator flows started, per flow type.',
    labelNames: ['type'],
  });
  readonly flowsEnded = counter<{ type: string; state: string }>(this.registry, {
    name: 'threadline_flows_ended_total',
    help: 'Orchestrator flows ended, per flow type and end state (completed, failed).',
    labelNames: ['type', 'state'],
  });
  readonly flowEscalations = counter<{ type: string; step: string }>(this.registry, {
    name: 'threadline_flow_escalations_total',
    help: 'flow.escalated events emitted: a step without its answer in time, refused or failed.',
    labelNames: ['type', 'step'],
  });
  readonly flowDuration = histogram<{ type: string }>(this.registry, {
    name: 'threadline_flow_duration_seconds',
    help: 'From a flow starting to its end.',
    labelNames: ['type'],
    buckets: [0.1, 1, 10, 60, 300, 1800, 3600, 14400, 86400, 604800],
  });
  readonly collectorFailures = counter<{ collector: string }>(this.registry, {
    name: 'threadline_metrics_collector_failures_total',
    help: 'Scrape-time collectors that threw or timed out.',
    labelNames: ['collector'],
  });

  private readonly collectors = new Map<string, MetricsCollector>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly collectorTimeoutMs: number;

  constructor(options: MetricsRegistryOptions = {}) {
    this.collectorTimeoutMs = options.collectorTimeoutMs ?? 5_000;
    if (options.collectProcessMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: 'threadline_' });
    }
  }

  /**
   * Runs `collect` before every scrape (e.g. to set `dlqDepth` from queue sizes). Names are
   * unique; the returned function unregisters it. A collector that throws or outlives
   * `collectorTimeoutMs` is counted in `threadline_metrics_collector_failures_total` and does not
   * fail the scrape; one still running from an earlier scrape is not started twice.
   */
  registerCollector(name: string, collect: MetricsCollector): () => void {
    if (this.collectors.has(name)) {
      throw new Error(`A metrics collector named '${name}' is already registered`);
    }
    this.collectors.set(name, collect);
    return () => {
      if (this.collectors.get(name) === collect) this.collectors.delete(name);
    };
  }

  /** The Content-Type of `text()` (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The exposition text for a /metrics endpoint. Collectors run first, all at once, so every
   * gauge they set is current in this scrape.
   */
  async text(): Promise<string> {
    await this.runCollectors();
    return this.registry.metrics();
  }

  private async runCollectors(): Promise<void> {
    await Promise.all(
      [...this.collectors].map(async ([name, collect]) => {
        try {
          await withTimeout(this.startCollector(name, collect), this.collectorTimeoutMs);
        } catch {
          this.collectorFailures.inc({ collector: name });
        }
      }),
    );
  }

  /** A collector still running from an earlier scrape is not started again (no pile-up). */
  private startCollector(name: string, collect: MetricsCollector): Promise<void> {
    const running = this.running.get(name);
    if (running !== undefined) return running;
    const run = Promise.resolve()
      .then(collect)
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }
}

async function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

let processDefault: MetricsRegistry | undefined;

/** The process-wide registry, for code that has no registry passed to it. */
export function defaultMetrics(): MetricsRegistry {
  processDefault ??= new MetricsRegistry();
  return processDefault;
}
