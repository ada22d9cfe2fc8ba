import {
  createDataSource,
  initializeDatabase,
  type DatabaseOptions,
} from '@threadline/persistence';
import type { MetricsRegistry } from '@threadline/observability';
import { SchemaRegistry } from '@threadline/schema-registry';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { BrokerDriver } from './broker-driver';
import { InMemoryDriver } from './in-memory/in-memory.driver';
import { messagingObserver } from './messaging.metrics';
import { EventPublisher } from './outbox/event-publisher';
import { OutboxRelay } from './outbox/outbox.relay';
import type { PipelineObserver } from './pipeline/message-pipeline';
import {
  DEFAULT_RETRY_POLICY,
  validateRetryPolicy,
  type RetryPolicy,
} from './pipeline/retry-policy';
import { RabbitMqDriver } from './rabbitmq/rabbitmq.driver';

export interface MessagingRuntimeOptions {
  /** amqp:// or amqps:// URL; without it the in-memory broker (one process only) is used. */
  readonly amqpUrl?: string;
  readonly amqpSocketOptions?: Record<string, unknown>;
  readonly database: DatabaseOptions;
  readonly logger: Logger;
  readonly metrics?: MetricsRegistry;
  readonly registry?: SchemaRegistry;
  readonly retryPolicy?: RetryPolicy;
  /** Run an outbox relay in this process (default true). */
  readonly relay?: boolean;
  readonly connectionName?: string;
}

/**
 * Everything a Threadline process needs to move messages, built once and shared by every
 * service it hosts: the broker driver, the database, the contract registry, the publisher and
 * the outbox relay. Stop it to shut down in order.
 */
export class MessagingRuntime {
  readonly publisher: EventPublisher;
  readonly relay?: OutboxRelay;

  private constructor(
    readonly driver: BrokerDriver,
    readonly dataSource: DataSource,
    readonly registry: SchemaRegistry,
    readonly retryPolicy: RetryPolicy,
    readonly logger: Logger,
    readonly metrics: MetricsRegistry | undefined,
    withRelay: boolean,
  ) {
    if (withRelay) {
      this.relay = new OutboxRelay({
        dataSource,
        driver,
        logger: logger.child({ component: 'outbox-relay' }),
        onPublished: metrics ? (messages) => countPublished(metrics, messages) : undefined,
      });
    }
    this.publisher = new EventPublisher({
      registry,
      dataSource,
      onAppended: () => this.relay?.notify(),
    });
  }

  static async create(options: MessagingRuntimeOptions): Promise<MessagingRuntime> {
    // A service compiles the validators of the types it publishes and consumes, when it first
    // meets them (ADR 0011); `threadline schemas` and the tests compile every schema.
    const registry =
      options.registry ?? SchemaRegistry.fromDirectory(undefined, { compile: 'onFirstUse' });
    const retryPolicy = validateRetryPolicy(options.retryPolicy ?? DEFAULT_RETRY_POLICY);
    const dataSource = createDataSource(options.database);
    await initializeDatabase(dataSource);
    const driver: BrokerDriver = options.amqpUrl
      ? new RabbitMqDriver({
          url: options.amqpUrl,
          socketOptions: options.amqpSocketOptions,
          logger: options.logger.child({ component: 'rabbitmq' }),
          connectionName: options.connectionName,
        })
      : new InMemoryDriver({ logger: options.logger.child({ component: 'in-memory-broker' }) });
    return new MessagingRuntime(
      driver,
      dataSource,
      registry,
      retryPolicy,
      options.logger,
      options.metrics,
      options.relay ?? true,
    );
  }

  async start(): Promise<void> {
    await this.driver.start();
    if (this.metrics) this.watchConnection(this.metrics);
    this.relay?.start();
  }

  pipelineObserver(service: string): PipelineObserver {
    const afterCommit = () => this.publisher.afterCommit();
    return this.metrics
      ? { ...messagingObserver(this.metrics, service), outboxAppended: afterCommit }
      : { settled: () => undefined, outboxAppended: afterCommit };
  }

  /** Ordered shutdown: consumers are drained by their servers first; then flush, then close. */
  async stop(): Promise<void> {
    await this.driver.cancelConsumers();
    await this.relay?.stop();
    await this.driver.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private watchConnection(metrics: MetricsRegistry): void {
    this.driver.state$.subscribe((state) =>
      metrics.brokerConnectionUp.set({ service: 'runtime' }, state === 'connected' ? 1 : 0),
    );
  }
}

function countPublished(
  metrics: MetricsRegistry,
  messages: readonly { exchange: string; routingKey: string }[],
) {
  for (const message of messages) {
    metrics.messagesPublished.inc({
      service: 'outbox-relay',
      exchange: message.exchange,
      type: message.routingKey,
      outcome: 'confirmed',
    });
  }
}
