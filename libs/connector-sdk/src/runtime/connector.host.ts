import type { CloudEvent } from '@threadline/contracts';
import type { BrokerDriver, EventPublisher } from '@threadline/messaging';
import type { Logger, MetricsRegistry, TargetState } from '@threadline/observability';
import type { SchemaRegistry } from '@threadline/schema-registry';
import type { DataSource } from 'typeorm';
import type { ConnectorConfig } from '../config/connector-config.types';
import { CursorStore } from '../cursor/cursor.store';
import type { Clock } from '../http/clock';
import type { PolicyHttpClient } from '../http/policy-http.client';
import { compileMapping } from '../mapping/mapping';
import { createWebhookIngress } from '../webhook/webhook-ingress';
import { startWebhookServer, type WebhookServer } from '../webhook/webhook-http.server';
import { CommandExecutor } from './command.executor';
import { connectorHttpClient } from './connector-http';
import type { ConnectorRegistry } from './connector.registry';
import { inboundMapperFor } from './connector-sources';
import type { ConnectorSpec } from './connector-spec.types';
import { IngressDeadLetters } from './ingress-dead-letters';
import { PollingLoop } from './polling.loop';
import { probeTarget, type ProbeResult } from './target-probe';

/** The parts of the messaging runtime a connector uses. */
export interface ConnectorRuntime {
  readonly driver: BrokerDriver;
  readonly dataSource: DataSource;
  readonly publisher: EventPublisher;
  readonly registry: SchemaRegistry;
  readonly retryPolicy: { readonly delaysMs: readonly number[] };
  readonly logger: Logger;
  readonly metrics?: MetricsRegistry;
}

export interface ConnectorHostOptions {
  /** The service hosting it (`connector-erp`): names its queues. */
  service: string;
  config: ConnectorConfig;
  registry: ConnectorRegistry;
  runtime: ConnectorRuntime;
  /** Where webhook sources listen (default 127.0.0.1:8081; port 0 picks a free one). */
  webhook?: { port: number; host?: string };
  clock?: Clock;
  random?: () => number;
}

export interface TargetHealth {
  connector: string;
  system: string;
  state: TargetState;
}

/**
 * One configured connector at work: its target's HTTP client, command execution, polling loops
 * and webhook endpoints, started and stopped together. The service's command handlers call
 * `execute`; everything else runs from `start` until `stop`.
 */
export class ConnectorHost {
  readonly spec: ConnectorSpec;
  readonly http: PolicyHttpClient;
  readonly executor: CommandExecutor;
  readonly polling: PollingLoop[];
  readonly deadLetters: IngressDeadLetters;
  private webhookServer?: WebhookServer;
  private readonly logger: Logger;

  constructor(private readonly options: ConnectorHostOptions) {
    const { config, registry, runtime } = options;
    this.spec = registry.specFor(config);
    this.logger = runtime.logger.child({ connector: config.metadata.name });
    this.http = connectorHttpClient(config, this.spec, {
      metrics: runtime.metrics,
      clock: options.clock,
      random: options.random,
    });
    const adapter = this.spec.create({ config, http: this.http, logger: this.logger });
    this.executor = new CommandExecutor({
      config,
      spec: this.spec,
      adapter,
      registry: runtime.registry,
      metrics: runtime.metrics,
    });
    this.deadLetters = new IngressDeadLetters(
      runtime.driver,
      options.service,
      runtime.retryPolicy.delaysMs,
    );
    const cursors = new CursorStore(runtime.dataSource);
    this.polling = (config.spec.inbound?.polling ?? []).map(
      (source) =>
        new PollingLoop({
          connector: config.metadata.name,
          source,
          adapter,
          mapper: inboundMapperFor(config, source, runtime.registry, runtime.metrics),
          where: source.where
            ? compileMapping(source.where, `${config.metadata.name}/${source.name} where`)
            : undefined,
          cursors,
          dataSource: runtime.dataSource,
          publisher: runtime.publisher,
          rejections: this.deadLetters,
          logger: this.logger,
        }),
    );
  }

  get name(): string {
    return this.options.config.metadata.name;
  }

  /** `http://host:port` of the webhook endpoints, once started (undefined without webhooks). */
  get webhookUrl(): string | undefined {
    return this.webhookServer?.url;
  }

  async start(options: { polling?: boolean } = {}): Promise<void> {
    await this.deadLetters.declare();
    await this.startWebhooks();
    if (options.polling !== false) for (const loop of this.polling) loop.start();
    this.logger.info(
      {
        adapter: this.spec.adapter,
        commands: this.executor.commandTypes(),
        polling: this.polling.map((loop) => loop.name),
        webhooks: this.webhookUrl,
      },
      'connector started',
    );
  }

  /** Polls stop after their page commits, webhooks stop accepting, the HTTP client closes. */
  async stop(): Promise<void> {
    await Promise.all(this.polling.map((loop) => loop.stop()));
    await this.webhookServer?.close();
    this.webhookServer = undefined;
    this.http.close();
  }

  /** Executes one command; resolves with its success event (see CommandExecutor). */
  execute(command: CloudEvent): Promise<CloudEvent> {
    return this.executor.execute(command);
  }

  health(): TargetHealth {
    return { connector: this.name, system: this.spec.system, state: this.http.state() };
  }

  /** Reachability without moving data: one GET of the probe path. */
  probe(): Promise<ProbeResult> {
    const path = this.options.config.spec.target?.probePath ?? this.spec.probePath;
    return probeTarget(this.http, path);
  }

  private async startWebhooks(): Promise<void> {
    const { config, runtime } = this.options;
    const webhooks = config.spec.inbound?.webhooks ?? [];
    if (webhooks.length === 0) return;
    const ingress = createWebhookIngress({
      connector: config.metadata.name,
      webhooks: webhooks.map((webhook) => ({
        name: webhook.name,
        path: webhook.path,
        secret: webhook.secret,
        toleranceSeconds: webhook.toleranceSeconds,
        where: webhook.where
          ? compileMapping(webhook.where, `${config.metadata.name}/${webhook.name} where`)
          : undefined,
        mapper: inboundMapperFor(config, webhook, runtime.registry, runtime.metrics),
      })),
      publisher: runtime.publisher,
      logger: this.logger,
      metrics: runtime.metrics,
      onRejectedMapping: (rejection) => this.deadLetters.reject(rejection),
    });
    const { port, host } = this.options.webhook ?? { port: 8081 };
    this.webhookServer = await startWebhookServer({ port, host, ingress, logger: this.logger });
  }
}
