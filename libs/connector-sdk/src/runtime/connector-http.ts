import type { MetricsRegistry } from '@threadline/observability';
import { targetOf, type ConnectorConfig, type TargetAuth } from '../config/connector-config.types';
import type { Clock } from '../http/clock';
import { createPolicyHttpClient, type PolicyHttpClient } from '../http/policy-http.client';
import type { ConnectorSpec } from './connector-spec.types';

/** The policy HTTP client of a connector's target: its settings, else the spec's defaults. */
export function connectorHttpClient(
  config: ConnectorConfig,
  spec: ConnectorSpec,
  options: { metrics?: MetricsRegistry; clock?: Clock; random?: () => number } = {},
): PolicyHttpClient {
  const target = targetOf(config);
  return createPolicyHttpClient({
    system: config.spec.system,
    baseUrl: target.baseUrl,
    timeoutMs: target.timeoutMs,
    retry: target.retry ?? spec.retry,
    circuitBreaker: target.circuitBreaker ?? spec.circuitBreaker,
    rateLimit: target.rateLimit,
    auth: target.auth ? { headers: authHeaders(target.auth) } : undefined,
    metrics: options.metrics,
    clock: options.clock,
    random: options.random,
  });
}

function authHeaders(auth: TargetAuth): Record<string, string> {
  switch (auth.type) {
    case 'basic':
      return {
        Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      };
    case 'bearer':
      return { Authorization: `Bearer ${auth.token}` };
    case 'api-key':
      return { [auth.header ?? 'X-API-Key']: auth.key ?? '' };
    case 'none':
      return {};
  }
}
