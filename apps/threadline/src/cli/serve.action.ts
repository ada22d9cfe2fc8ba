import type { INestMicroservice } from '@nestjs/common';
import { ConfigurationError } from '@threadline/connector-sdk';
import { runtimeReadiness, startService } from '@threadline/messaging';
import { startMetricsServer } from '@threadline/observability';
import { redactUrl } from '@threadline/persistence';
import { runtimeFromEnv } from '../runtime/runtime-from-env';
import { registerRuntimeCollectors } from '../runtime/runtime-collectors';
import { SERVICE_CATALOG } from '../services/service-catalog';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError } from './cli.errors';

export async function serve(
  context: CliContext,
  names: string[],
  options: { metricsPort?: string },
): Promise<ExitCode> {
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
  const { runtime, metrics, logger, mode } = await runtimeFromEnv(
    context.io.env,
    `threadline-${names.join('+')}`,
  );
  await runtime.start();
  const apps: INestMicroservice[] = [];
  const definitions = names.map((name) => SERVICE_CATALOG.get(name)!);
  try {
    for (const definition of definitions) apps.push(await startService(definition, runtime));
  } catch (error) {
    // A service that cannot start (an invalid connector file) stops the others and the runtime,
    // so the process ends with the message instead of hanging half started.
    for (const app of apps) await app.close();
    await runtime.stop();
    // An invalid connector file is the user's input: exit 1 with its problems, like validate.
    if (error instanceof ConfigurationError)
      throw new CliError(error.message, ExitCode.problemsFound);
    throw error;
  }
  registerRuntimeCollectors(metrics, runtime, names);
  const metricsServer = await startMetricsServer(metrics, port, '0.0.0.0', {
    readiness: () =>
      runtimeReadiness(
        runtime,
        definitions.flatMap((definition, index) => definition.health?.(apps[index]) ?? []),
      ),
  });
  logger.info(
    {
      services: names,
      mode,
      metricsPort: metricsServer.port,
      database: context.io.env.DATABASE_URL ? redactUrl(context.io.env.DATABASE_URL) : 'sqlite',
    },
    'threadline serving',
  );
  await shutdownSignal();
  logger.info('shutting down: draining consumers, flushing the outbox');
  for (const app of apps) await app.close();
  await runtime.stop();
  await metricsServer.close();
  return ExitCode.ok;
}

function shutdownSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
