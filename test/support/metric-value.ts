/** The read side every Threadline counter facade offers (`MetricsRegistry.webhookRejected` ...). */
interface ReadableMetric {
  get(): Promise<{ values: Array<{ value: number; labels: object }> }>;
}

/** The sum of a metric's series whose labels include every one of `labels` (0 when none). */
export async function metricValue(
  metric: ReadableMetric,
  labels: Record<string, string>,
): Promise<number> {
  const { values } = await metric.get();
  return values
    .filter((series) => {
      const seriesLabels = series.labels as Record<string, unknown>;
      return Object.entries(labels).every(([name, value]) => seriesLabels[name] === value);
    })
    .reduce((sum, series) => sum + series.value, 0);
}
