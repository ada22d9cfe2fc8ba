import type { INestMicroservice } from '@nestjs/common';
import { ConfigurationError } from '@threadline/connector-sdk/config';
import { runtimeReadiness, startService, type MessagingRuntime } from '@threadline/messaging';
import { startMetricsServer, type Logger } from '@threadline/observability';
import { redactUrl } from '@threadline/persistence';
import { auditConfigurationLoaded } from '../runtime/config-audit';
import { runtimeFromEnv } from '../runtime/runtime-from-env';
import { registerRuntimeCollectors } from '../runtime/runtime-collectors';
import { SERVICE_CATALOG } from '../services/service-catalog';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError } from './cli.errors';

/** Services started in this process, with the runtime they share and their /metrics server. */
export interface RunningServices {
  readonly names: readonly string[];
  readonly apps: ReadonlyMap<string, INestMicroservice>;
  readonly runtime: MessagingRuntime;
  readonly logger: Logger;
  readonly mode: 'distributed' | 'embedded';
  readonly metricsPort: number;
  /** Consumers drained, the outbox flushed, the metrics server closed. */
  stop(): Promise<void>;
}

/**
 * Starts the named services in this process on the runtime the environment selects (the
 * machinery of `serve` and `up`). A service that cannot start stops those already started.
 */
export async function startServices(
  context: CliContext,
  names: readonly string[],
  options: { metricsPort?: string; logToStderr?: boolean; defaultLogLevel?: string },
): Promise<RunningServices> {
  const unknown = names.filter((name) => !SERVICE_CATALOG.has(name));
  if (unknown.length > 0) {
    throw new CliError(
      `unknown service(s): ${unknown.join(', ')}; known: ${[...SERVICE_CATALOG.keys()].join(', ')}`,
    );
  }
  const port = Number(options.metricsPort ?? context.io.env.METRICS_PORT ?? 9464);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(
      `--metrics-port must be a port number 0-65535, got '${options.metricsPort}'`,
    );
  }
  // Only the named services' modules load (ADR 0011).
  const definitions = await Promise.all(names.map((name) => SERVICE_CATALOG.get(name)!()));
  const { runtime, metrics, logger, mode } = await runtimeFromEnv(
    context.io.env,
    `threadline-${names.length > 3 ? 'all-in-one' : names.join('+')}`,
    {
      level: context.io.env.LOG_LEVEL?.trim() || options.defaultLogLevel,
      toStderr: options.logToStderr,
    },
  );
  await runtime.start();
  const apps = new Map<string, INestMicroservice>();
  const closeApps = async () => {
    for (const app of [...apps.values()].reverse()) await app.close();
  };
  try {
    for (const definition of definitions) {
      apps.set(definition.name, await startService(definition, runtime));
    }
    // What they started with, in the audit log: config.loaded, a hash per file.
    await auditConfigurationLoaded(runtime, names, context.io.env);
  } catch (error) {
    // A service that cannot start (an invalid connector file) stops the others and the runtime,
    // so the process ends with the message instead of hanging half started.
    await closeApps();
    await runtime.stop();
    // An invalid connector file is the user's input: exit 1 with its problems, like validate.
    if (error instanceof ConfigurationError)
      throw new CliError(error.message, ExitCode.problemsFound);
    throw error;
  }
  registerRuntimeCollectors(metrics, runtime, [...names]);
  const metricsServer = await startMetricsServer(metrics, port, '0.0.0.0', {
    readiness: () =>
      runtimeReadiness(
        runtime,
        definitions.flatMap((definition) => definition.health?.(apps.get(definition.name)!) ?? []),
      ),
  });
  return {
    names,
    apps,
    runtime,
    logger,
    mode,
    metricsPort: metricsServer.port,
    async stop() {
      await closeApps();
      await runtime.stop();
      await metricsServer.close();
    },
  };
}

export async function serve(
  context: CliContext,
  names: string[],
  options: { metricsPort?: string },
): Promise<ExitCode> {
  const running = await startServices(context, names, options);
  running.logger.info(
    {
      services: names,
      mode: running.mode,
      metricsPort: running.metricsPort,
      database: context.io.env.DATABASE_URL ? redactUrl(context.io.env.DATABASE_URL) : 'sqlite',
    },
    'threadline serving',
  );
  await shutdownSignal();
  running.logger.info('shutting down: draining consumers, flushing the outbox');
  await running.stop();
  return ExitCode.ok;
}

export function shutdownSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
