import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectorConfig } from '../config/connector-config.types';
import type { ConnectorRegistry } from './connector.registry';
import { connectorHttpClient } from './connector-http';
import { probeTarget, type ProbeResult } from './target-probe';

const YAML_FILE = /\.ya?ml$/;

/** The connector configurations (*.yaml, *.yml) of a directory, sorted; throws when unreadable. */
export function connectorConfigFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => YAML_FILE.test(name))
    .sort()
    .map((name) => join(directory, name));
}

export interface ConnectorProbe {
  /** What was asked: the target's base URL and the probe path (never credentials). */
  readonly url: string;
  readonly result: ProbeResult;
}

/**
 * Probes a connector's target without moving data: one GET of its probe path (the target's, else
 * the adapter's) through the connector's own client (auth, timeout), no retries; never throws.
 * `timeoutMs` caps the configured timeout (a health page must answer quickly).
 */
export async function probeConnector(
  config: ConnectorConfig,
  registry: ConnectorRegistry,
  options: { timeoutMs?: number } = {},
): Promise<ConnectorProbe> {
  const spec = registry.specFor(config);
  const target = config.spec.target;
  const capped =
    target && options.timeoutMs !== undefined
      ? {
          ...config,
          spec: {
            ...config.spec,
            target: { ...target, timeoutMs: Math.min(target.timeoutMs, options.timeoutMs) },
          },
        }
      : config;
  const http = connectorHttpClient(capped, spec);
  const path = target?.probePath ?? spec.probePath;
  try {
    return { url: `${target?.baseUrl ?? ''}${path}`, result: await probeTarget(http, path) };
  } finally {
    http.close();
  }
}
