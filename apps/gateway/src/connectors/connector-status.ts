import {
  connectorConfigFiles,
  formatConfigIssue,
  loadConnectorConfigs,
  probeConnector,
  type ConnectorConfig,
  type ConnectorRegistry,
} from '@threadline/connector-sdk';
import { redactUrlCredentials } from '@threadline/observability';
import type { ConnectorHealthView, ConnectorTargetView, ConnectorView } from '../api/model';
import type { GatewaySettings } from '../gateway.options';

interface CachedProbe {
  readonly until: number;
  readonly health: Promise<ConnectorHealthView>;
}

const UNCHECKED: ConnectorHealthView = {
  state: 'unchecked',
  probe: null,
  status: null,
  latencyMs: null,
  error: null,
  checkedAt: null,
};

/**
 * The connector configurations (CONNECTORS_DIR, read through the connector-sdk loader, so secrets
 * are interpolated but never shown) with their targets and health: one GET of each HTTP target's
 * probe path, with a short timeout, its answer reused for a while. Concurrent requests share one
 * probe per connector.
 */
export class ConnectorStatus {
  private readonly probes = new Map<string, CachedProbe>();

  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly settings: GatewaySettings,
    private readonly env: NodeJS.ProcessEnv,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<{ connectors: ConnectorView[]; problems: string[] }> {
    let files: string[];
    try {
      files = connectorConfigFiles(this.settings.connectorsDir);
    } catch {
      return { connectors: [], problems: [`${this.settings.connectorsDir}: cannot be read`] };
    }
    const { configs, errors } = loadConnectorConfigs(files, this.env, {
      rules: this.registry.rules(),
    });
    const sorted = [...configs].sort((a, b) =>
      a.config.metadata.name.localeCompare(b.config.metadata.name),
    );
    const connectors = await Promise.all(
      sorted.map(async ({ file, config }) => ({
        name: config.metadata.name,
        plant: config.metadata.plant,
        system: config.spec.system,
        adapter: config.spec.adapter,
        description: config.metadata.description ?? null,
        file,
        targets: targetsOf(config),
        health: await this.health(config),
      })),
    );
    return { connectors, problems: errors.map(formatConfigIssue) };
  }

  private health(config: ConnectorConfig): Promise<ConnectorHealthView> {
    if (!config.spec.target) return Promise.resolve(UNCHECKED);
    const key = `${config.metadata.name}\u0000${JSON.stringify(config.spec.target)}`;
    const cached = this.probes.get(key);
    if (cached && cached.until > this.now()) return cached.health;
    const health = this.probe(config);
    this.probes.set(key, { until: this.now() + this.settings.probeCacheMs, health });
    return health;
  }

  private async probe(config: ConnectorConfig): Promise<ConnectorHealthView> {
    const { url, result } = await probeConnector(config, this.registry, {
      timeoutMs: this.settings.probeTimeoutMs,
    });
    return {
      state: result.ok ? 'up' : 'down',
      probe: redactUrlCredentials(url),
      status: result.status ?? null,
      latencyMs: result.latencyMs,
      error: result.error ?? null,
      checkedAt: new Date(this.now()).toISOString(),
    };
  }
}

/** Where a connector points: its HTTP target, or a PLC connector's OPC UA and Modbus sources. */
function targetsOf(config: ConnectorConfig): ConnectorTargetView[] {
  if (config.spec.target) {
    return [
      { kind: 'http', name: 'target', url: redactUrlCredentials(config.spec.target.baseUrl) },
    ];
  }
  const plc = (config.spec.plc ?? {}) as {
    opcua?: { name: string; endpoint: string }[];
    modbus?: { name: string; host: string; port?: number }[];
  };
  return [
    ...(plc.opcua ?? []).map((source) => ({
      kind: 'opcua',
      name: source.name,
      url: redactUrlCredentials(source.endpoint),
    })),
    ...(plc.modbus ?? []).map((source) => ({
      kind: 'modbus',
      name: source.name,
      url: `modbus-tcp://${source.host}:${source.port ?? 502}`,
    })),
  ];
}
