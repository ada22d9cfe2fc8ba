import type { MetricsRegistry } from '@threadline/observability';
import type { PipelineObserver } from './pipeline/message-pipeline';
import { outcomeLabel } from './pipeline/settlement';

/**
 * Pipeline outcomes as Prometheus metrics. The `type` label is only ever a validated catalog
 * type or 'unknown', so garbage on the wire cannot grow label cardinality.
 */
export function messagingObserver(metrics: MetricsRegistry, service: string): PipelineObserver {
  return {
    settled(message, settlement, handlerSeconds) {
      const type = settlement.event?.type ?? 'unknown';
      const labels = { service, queue: message.queue, type };
      metrics.messagesConsumed.inc({ ...labels, outcome: outcomeLabel(settlement) });
      if (handlerSeconds !== undefined) metrics.handlerDuration.observe(labels, handlerSeconds);
      if (settlement.kind === 'retry') {
        metrics.retries.inc({ service, queue: message.queue, tier: `${settlement.delayMs}ms` });
      }
      if (settlement.kind === 'ack' || settlement.kind === 'duplicate') {
        const latency = (Date.now() - Date.parse(settlement.event.time)) / 1000;
        if (latency >= 0) metrics.endToEndLatency.observe(labels, latency);
      }
    },
  };
}
