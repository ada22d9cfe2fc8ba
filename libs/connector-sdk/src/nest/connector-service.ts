import { resolve } from 'node:path';
import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type Type,
} from '@nestjs/common';
import { MessagingRuntime, type ServiceDefinition } from '@threadline/messaging';
import { configFileFor } from '../config/config-file';
import { loadConnectorConfigsOrThrow } from '../config/connector-config.loader';
import type { ConnectorSystem } from '../config/connector-config.types';
import type { Environment } from '../config/env-interpolation';
import { ConnectorHost } from '../runtime/connector.host';
import { ConnectorRegistry } from '../runtime/connector.registry';
import type { ConnectorSpec } from '../runtime/connector-spec.types';

export interface ConnectorServiceDeclaration {
  /** Service name (`connector-erp`): its queues are `threadline.<name>.commands` and so on. */
  name: string;
  system: ConnectorSystem;
  description: string;
  /** The adapters this service can run. */
  connectors: readonly ConnectorSpec[];
  /** The service's `@EventPattern` controller for its command types. */
  controller: Type<unknown>;
}

/**
 * A connector app as a Threadline service: its command controller plus a ConnectorHost built
 * from the one configuration in CONNECTORS_DIR (default ./connectors) whose `spec.system` is
 * this service's. Commands call the target one at a time per consumer slot, so batches are
 * single messages with several in flight.
 */
export function connectorService(declaration: ConnectorServiceDeclaration): ServiceDefinition {
  const registry = new ConnectorRegistry(declaration.connectors);

  @Injectable()
  class ConnectorLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
    constructor(@Inject(ConnectorHost) private readonly host: ConnectorHost) {}
    onApplicationBootstrap(): Promise<void> {
      return this.host.start();
    }
    beforeApplicationShutdown(): Promise<void> {
      return this.host.stop();
    }
  }

  @Module({
    controllers: [declaration.controller],
    providers: [
      {
        provide: ConnectorHost,
        inject: [MessagingRuntime],
        useFactory: (runtime: MessagingRuntime) =>
          connectorHostFromEnvironment(declaration, registry, runtime, process.env),
      },
      ConnectorLifecycle,
    ],
  })
  class ConnectorServiceModule {}

  return {
    name: declaration.name,
    module: ConnectorServiceModule,
    description: declaration.description,
    consumer: { prefetch: 64, batchSize: 1, concurrency: 16 },
    health: (app) => {
      const health = app.get(ConnectorHost).health();
      return [{ name: `${health.connector} (${health.system})`, state: health.state }];
    },
  };
}

/** Builds the host from the environment: CONNECTORS_DIR, WEBHOOK_PORT, WEBHOOK_HOST. */
export function connectorHostFromEnvironment(
  declaration: Pick<ConnectorServiceDeclaration, 'name' | 'system'>,
  registry: ConnectorRegistry,
  runtime: MessagingRuntime,
  env: Environment,
): ConnectorHost {
  const directory = resolve(env.CONNECTORS_DIR ?? 'connectors');
  const file = configFileFor(directory, declaration.system);
  const [loaded] = loadConnectorConfigsOrThrow([file], env, { rules: registry.rules() });
  return new ConnectorHost({
    service: declaration.name,
    config: loaded.config,
    registry,
    runtime,
    webhook: { port: Number(env.WEBHOOK_PORT ?? 8081), host: env.WEBHOOK_HOST ?? '0.0.0.0' },
  });
}
