import type { ConnectorRegistry } from '@threadline/connector-sdk';
import type { MessagingRuntime } from '@threadline/messaging';
import type {
  ApiKeyStore,
  AuthSettings,
  Authenticator,
  SecurityEvents,
} from '@threadline/security';
import { wholeNumberFromEnv } from '@threadline/core';

/** What the composition root tells the gateway about the build it runs in. */
export interface GatewayOptions {
  /** Every service name: /api/v1/dlq lists their dead-letter queues. */
  readonly services: readonly string[];
  /** The connector adapters, for the configurations /api/v1/connectors reads. */
  readonly connectors: ConnectorRegistry;
}

/** The settings read from the environment (see README). */
export interface GatewaySettings {
  readonly port: number;
  readonly host: string;
  readonly connectorsDir: string;
  /** How long one connector probe may take. */
  readonly probeTimeoutMs: number;
  /** How long a probe's answer is reused. */
  readonly probeCacheMs: number;
}

/** Everything the routes use, one provider (absent while only the OpenAPI document is built). */
export interface GatewayDeps {
  readonly runtime: MessagingRuntime;
  readonly options: GatewayOptions;
  readonly settings: GatewaySettings;
  readonly security: GatewaySecurity;
}

/** Authentication of the gateway's callers (libs/security), built from the environment. */
export interface GatewaySecurity {
  readonly settings: AuthSettings;
  readonly authenticator: Authenticator;
  readonly apiKeys: ApiKeyStore;
  readonly events: SecurityEvents;
}

export const GATEWAY_DEPS = Symbol('GATEWAY_DEPS');

/** PORT (default 3000; 0: any free port), GATEWAY_HOST, CONNECTORS_DIR, GATEWAY_PROBE_*. */
export function gatewaySettings(env: NodeJS.ProcessEnv): GatewaySettings {
  return {
    port: wholeNumberFromEnv(env, 'PORT', 3000, 0, 65_535),
    host: env.GATEWAY_HOST?.trim() || '0.0.0.0',
    connectorsDir: env.CONNECTORS_DIR?.trim() || 'connectors',
    probeTimeoutMs: wholeNumberFromEnv(env, 'GATEWAY_PROBE_TIMEOUT_MS', 2_000, 1, 60_000),
    probeCacheMs: wholeNumberFromEnv(env, 'GATEWAY_PROBE_CACHE_MS', 10_000, 0, 3_600_000),
  };
}
