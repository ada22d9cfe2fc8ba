import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type Type,
} from '@nestjs/common';
import { ThreadlineError } from '@threadline/core';
import { MessagingRuntime, type ServiceDefinition } from '@threadline/messaging';
import { loadConnectorConfigsOrThrow } from '../config/connector-config.loader';
import type { ConnectorSystem } from '../config/connector-config.types';
import type { Environment } from '../config/env-interpolation';
import { readYamlValues } from '../config/yaml-values';
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

/** The one YAML file in `directory` whose `spec.system` is `system`. */
export function configFileFor(directory: string, system: ConnectorSystem): string {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => /\.ya?ml$/.test(name));
  } catch {
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      `CONNECTORS_DIR ${directory} cannot be read`,
    );
  }
  const files = names.map((name) => join(directory, name));
  const systems = new Map(files.map((file) => [file, systemOf(file)]));
  const matching = files.filter((file) => systems.get(file) === system);
  if (matching.length === 1) return matching[0];
  if (matching.length > 1) {
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      `one connector configuration per system: ${matching.join(', ')} all have spec.system ${system}`,
    );
  }
  const unreadable = files.filter((file) => systems.get(file) === UNREADABLE);
  throw new ThreadlineError(
    'CONFIGURATION_INVALID',
    `no connector configuration with spec.system ${system} in ${directory}` +
      (unreadable.length > 0
        ? ` (not valid YAML: ${unreadable.join(', ')}; see threadline connectors validate)`
        : ''),
  );
}

const UNREADABLE = Symbol('unreadable');

/**
 * `spec.system` of each file read so far, by the file's identity and version: a process asks
 * more than once (the service to find its file, the audit of configuration loads to hash it),
 * and reading a large file is not free (ADR 0011). A file is read again only once it changed.
 */
const systemsSeen = new Map<string, { version: string; system: unknown }>();

function systemOf(file: string): unknown {
  let version: string;
  try {
    const stat = statSync(file);
    version = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return UNREADABLE;
  }
  const seen = systemsSeen.get(file);
  if (seen?.version === version) return seen.system;
  const system = systemIn(file);
  systemsSeen.set(file, { version, system });
  return system;
}

function systemIn(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return UNREADABLE;
  }
  const read = readYamlValues(text);
  if ('problem' in read) return UNREADABLE;
  return (read.values as { spec?: { system?: unknown } } | null)?.spec?.system;
}
