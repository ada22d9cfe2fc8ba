import { register as globalRegister } from 'prom-client';
import { TARGET_STATE_VALUE, UNKNOWN_TYPE_LABEL, boundedTypeLabel } from './metric-labels';
import { MetricsRegistry, defaultMetrics } from './metrics.registry';

const THREADLINE_METRICS: Record<string, { type: string; labels: string[] }> = {
  threadline_messages_published_total: {
    type: 'counter',
    labels: ['service', 'exchange', 'type', 'outcome'],
  },
  threadline_messages_consumed_total: {
    type: 'counter',
    labels: ['service', 'queue', 'type', 'outcome'],
  },
  threadline_handler_duration_seconds: { type: 'histogram', labels: ['service', 'queue', 'type'] },
  threadline_end_to_end_latency_seconds: {
    type: 'histogram',
    labels: ['service', 'queue', 'type'],
  },
  threadline_retries_total: { type: 'counter', labels: ['service', 'queue', 'tier'] },
  threadline_dlq_depth: { type: 'gauge', labels: ['queue'] },
  threadline_outbox_pending: { type: 'gauge', labels: ['service'] },
  threadline_outbox_oldest_age_seconds: { type: 'gauge', labels: ['service'] },
  threadline_broker_connection_up: { type: 'gauge', labels: ['service'] },
  threadline_mapping_output_invalid_total: { type: 'counter', labels: ['connector', 'type'] },
  threadline_connector_target_up: { type: 'gauge', labels: ['system'] },
  threadline_webhook_rejected_total: {
    type: 'counter',
    labels: ['connector', 'webhook', 'reason'],
  },
  threadline_plc_samples_total: { type: 'counter', labels: ['connector', 'source'] },
  threadline_plc_poll_overruns_total: { type: 'counter', labels: ['connector', 'source'] },
  threadline_plc_source_up: { type: 'gauge', labels: ['connector', 'source'] },
  threadline_plc_buffer_dropped_total: { type: 'counter', labels: ['connector'] },
  threadline_trace_gaps_detected_total: { type: 'counter', labels: ['rule', 'severity'] },
  threadline_trace_hold_propagations_total: { type: 'counter', labels: ['outcome'] },
  threadline_trace_query_duration_seconds: { type: 'histogram', labels: ['query'] },
  threadline_flows_started_total: { type: 'counter', labels: ['type'] },
  threadline_flows_ended_total: { type: 'counter', labels: ['type', 'state'] },
  threadline_flow_escalations_total: { type: 'counter', labels: ['type', 'step'] },
  threadline_flow_duration_seconds: { type: 'histogram', labels: ['type'] },
  threadline_metrics_collector_failures_total: { type: 'counter', labels: ['collector'] },
};

/** Sample lines of one metric in exposition text, e.g. `name{a="b"} 1`. */
function samples(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('MetricsRegistry', () => {
  it('defines every Threadline metric with its exact name, type and label names', () => {
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    const defined = metrics.registry.getMetricsAsArray().map((metric) => {
      const internal = metric as unknown as { name: string; type: string; labelNames: string[] };
      return [internal.name, { type: internal.type, labels: internal.labelNames }];
    });
    expect(Object.fromEntries(defined)).toEqual(THREADLINE_METRICS);
  });

  it('exposes typed counters, gauges and histograms in the text format', async () => {
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    const consumed = {
      service: 'orchestrator',
      queue: 'threadline.orchestrator.events',
      type: 'quality.nonconformance.raised',
    };
    metrics.messagesConsumed.inc({ ...consumed, outcome: 'ack' });
    metrics.messagesConsumed.inc({ ...consumed, outcome: 'ack' });
    metrics.messagesConsumed.inc({ ...consumed, outcome: 'dlq' });
    metrics.connectorTargetUp.set({ system: 'erp' }, TARGET_STATE_VALUE.degraded);
    metrics.handlerDuration.observe(
      { service: 'orchestrator', queue: consumed.queue, type: consumed.type },
      0.042,
    );

    const text = await metrics.text();
    expect(samples(text, 'threadline_messages_consumed_total')).toEqual([
      'threadline_messages_consumed_total{service="orchestrator",queue="threadline.orchestrator.events",type="quality.nonconformance.raised",outcome="ack"} 2',
      'threadline_messages_consumed_total{service="orchestrator",queue="threadline.orchestrator.events",type="quality.nonconformance.raised",outcome="dlq"} 1',
    ]);
    expect(samples(text, 'threadline_connector_target_up')).toEqual([
      'threadline_connector_target_up{system="erp"} 0.5',
    ]);
    expect(text).toContain(
      'threadline_handler_duration_seconds_bucket{le="0.05",service="orchestrator",',
    );
    expect(samples(text, 'threadline_handler_duration_seconds_count')).toEqual([
      'threadline_handler_duration_seconds_count{service="orchestrator",queue="threadline.orchestrator.events",type="quality.nonconformance.raised"} 1',
    ]);
  });

  it('times a handler in seconds with startTimer', async () => {
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    const stop = metrics.handlerDuration.startTimer({ service: 's', queue: 'q', type: 't' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = stop();
    expect(seconds).toBeGreaterThanOrEqual(0.015);
    expect(seconds).toBeLessThan(1);
    const sum = samples(await metrics.text(), 'threadline_handler_duration_seconds_sum')[0];
    expect(Number(sum.split(' ')[1])).toBeCloseTo(seconds, 6);
  });

  it('collects Node process metrics under threadline_ unless turned off', async () => {
    const withProcess = await new MetricsRegistry().text();
    expect(withProcess).toMatch(/^threadline_process_cpu_user_seconds_total \d/m);
    expect(withProcess).toMatch(/^threadline_nodejs_heap_size_used_bytes \d/m);
    const without = await new MetricsRegistry({ collectProcessMetrics: false }).text();
    expect(without).not.toContain('threadline_process_');
    expect(without).not.toContain('threadline_nodejs_');
  });

  it('keeps registries independent of each other and of the prom-client global registry', async () => {
    const first = new MetricsRegistry({ collectProcessMetrics: false });
    const second = new MetricsRegistry({ collectProcessMetrics: false });
    first.retries.inc({ service: 's', queue: 'q', tier: '1' });

    expect(samples(await first.text(), 'threadline_retries_total')).toHaveLength(1);
    expect(samples(await second.text(), 'threadline_retries_total')).toEqual([]);
    expect(globalRegister.getSingleMetric('threadline_retries_total')).toBeUndefined();
  });

  it('shares one process-wide default registry', () => {
    expect(defaultMetrics()).toBe(defaultMetrics());
    expect(defaultMetrics()).toBeInstanceOf(MetricsRegistry);
  });
});

describe('MetricsRegistry collectors', () => {
  it('runs each collector once per scrape so gauges show current state', async () => {
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    let depth = 3;
    let runs = 0;
    metrics.registerCollector('dlq-depth', () => {
      runs += 1;
      metrics.dlqDepth.set({ queue: 'threadline.orchestrator.events.dlq' }, depth);
    });

    expect(samples(await metrics.text(), 'threadline_dlq_depth')).toEqual([
      'threadline_dlq_depth{queue="threadline.orchestrator.events.dlq"} 3',
    ]);
    depth = 0;
    expect(samples(await metrics.text(), 'threadline_dlq_depth')).toEqual([
      'threadline_dlq_depth{queue="threadline.orchestrator.events.dlq"} 0',
    ]);
    expect(runs).toBe(2);
  });

  it('awaits asynchronous collectors', async () => {
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    metrics.registerCollector('outbox', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      metrics.outboxPending.set({ service: 'connector-qms' }, 12);
      metrics.outboxOldestAge.set({ service: 'connector-qms' }, 4.5);
    });
    const text = await metrics.text();
    expect(samples(text, 'threadline_outbox_pending')).toEqual([
      'threadline_outbox_pending{service="connector-qms"} 12',
    ]);
    expect(samples(text, 'threadline_outbox_oldest_age_seconds')).toEqual([
      'threadline_outbox_oldest_age_seconds{service="connector-qms"} 4.5',
    ]);
  });

  it('counts a failing or hanging collector and still serves the scrape', async () => {
    const metrics = new MetricsRegistry({ collectProcessMetrics: false, collectorTimeoutMs: 20 });
    metrics.registerCollector('broken', () => {
      throw new Error('database down');
    });
    let hangingRuns = 0;
    metrics.registerCollector('hanging', () => {
      hangingRuns += 1;
      return new Promise<void>(() => undefined);
    });
    metrics.registerCollector('healthy', () => metrics.outboxPending.set({ service: 's' }, 1));

    const first = await metrics.text();
    expect(samples(first, 'threadline_outbox_pending')).toEqual([
      'threadline_outbox_pending{service="s"} 1',
    ]);
    expect(samples(await metrics.text(), 'threadline_metrics_collector_failures_total')).toEqual([
      'threadline_metrics_collector_failures_total{collector="broken"} 2',
      'threadline_metrics_collector_failures_total{collector="hanging"} 2',
    ]);
    // Still stuck from the first scrape, so the second one did not start it again.
    expect(hangingRuns).toBe(1);
  });

  it('refuses a second collector with the same name and stops one that is unregistered', async () => {
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    let runs = 0;
    const unregister = metrics.registerCollector('outbox', () => void (runs += 1));
    expect(() => metrics.registerCollector('outbox', () => undefined)).toThrow(
      "A metrics collector named 'outbox' is already registered",
    );
    await metrics.text();
    unregister();
    await metrics.text();
    expect(runs).toBe(1);
    expect(() => metrics.registerCollector('outbox', () => undefined)).not.toThrow();
  });
});

describe('boundedTypeLabel', () => {
  const catalog = ['quality.nonconformance.raised', 'inventory.hold.placed'];

  it('keeps a catalog type and maps anything else to unknown', () => {
    expect(boundedTypeLabel('inventory.hold.placed', catalog)).toBe('inventory.hold.placed');
    expect(boundedTypeLabel('inventory.hold.placed', new Set(catalog))).toBe(
      'inventory.hold.placed',
    );
    expect(boundedTypeLabel('evil.type.12345', new Set(catalog))).toBe(UNKNOWN_TYPE_LABEL);
    expect(boundedTypeLabel(undefined, catalog)).toBe(UNKNOWN_TYPE_LABEL);
    expect(boundedTypeLabel(42, catalog)).toBe(UNKNOWN_TYPE_LABEL);
  });

  it('bounds the series a flood of garbage types can create', async () => {
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    const known = new Set(catalog);
    for (let i = 0; i < 1_000; i++) {
      const type = i % 10 === 0 ? catalog[0] : `garbage.${i}`;
      metrics.messagesConsumed.inc({
        service: 's',
        queue: 'q',
        type: boundedTypeLabel(type, known),
        outcome: 'dlq',
      });
    }
    const series = samples(await metrics.text(), 'threadline_messages_consumed_total');
    expect(series).toEqual([
      'threadline_messages_consumed_total{service="s",queue="q",type="quality.nonconformance.raised",outcome="dlq"} 100',
      'threadline_messages_consumed_total{service="s",queue="q",type="unknown",outcome="dlq"} 900',
    ]);
  });
});
