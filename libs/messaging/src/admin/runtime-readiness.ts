import { readinessOf, type ComponentHealth, type ReadinessReport } from '@threadline/observability';
import type { MessagingRuntime } from '../messaging.runtime';

/**
 * Readiness of a process on this runtime: the broker and the database are essential (down when
 * either is), the services' own parts (a connector's target) make it degraded at worst.
 */
export async function runtimeReadiness(
  runtime: MessagingRuntime,
  services: readonly ComponentHealth[] = [],
): Promise<ReadinessReport> {
  const database = await runtime.dataSource.query('SELECT 1').then(
    () => 'up' as const,
    () => 'down' as const,
  );
  const broker = runtime.driver.isConnected() ? 'up' : 'down';
  return readinessOf(
    [
      { name: `broker (${runtime.driver.kind})`, state: broker },
      { name: 'database', state: database },
    ],
    services,
  );
}
