import { deadLetterQueuesOf, type MessagingRuntime } from '@threadline/messaging';
import type { MetricsRegistry } from '@threadline/observability';

/** Gauges computed at scrape time: DLQ depth per queue, outbox backlog and its oldest age. */
export function registerRuntimeCollectors(
  metrics: MetricsRegistry,
  runtime: MessagingRuntime,
  services: readonly string[],
): void {
  const deadLetterQueues = deadLetterQueuesOf(services, runtime.retryPolicy.delaysMs);
  metrics.registerCollector('dlq-depth', async () => {
    if (!runtime.driver.isConnected()) return;
    for (const queue of deadLetterQueues) {
      const depth = await runtime.driver.queueDepth(queue);
      if (depth !== undefined) metrics.dlqDepth.set({ queue }, depth);
    }
  });
  metrics.registerCollector('outbox', async () => {
    const rows: { pending: string | number; oldest: string | Date | null }[] =
      await runtime.dataSource.query(
        'SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM outbox WHERE sent_at IS NULL',
      );
    const { pending, oldest } = rows[0];
    metrics.outboxPending.set({ service: 'outbox-relay' }, Number(pending));
    const age = oldest ? Math.max(0, (Date.now() - parseDatabaseTime(oldest)) / 1000) : 0;
    metrics.outboxOldestAge.set({ service: 'outbox-relay' }, age);
  });
}

/** SQLite returns UTC text without a zone ('2026-05-14 08:30:00.000'); PostgreSQL a Date. */
function parseDatabaseTime(value: string | Date): number {
  if (value instanceof Date) return value.getTime();
  return Date.parse(
    value.includes('T') || value.endsWith('Z') ? value : `${value.replace(' ', 'T')}Z`,
  );
}
