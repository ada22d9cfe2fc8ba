import type { Command } from 'commander';
import { SERVICE_NAMES } from '../services/service-names';
import { action, type CliContext } from './cli-context';

export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description(
      'run the named services in this process, on RabbitMQ and PostgreSQL when AMQP_URL and ' +
        `DATABASE_URL are set, on the embedded default otherwise. Services: ${SERVICE_NAMES.join(', ')}`,
    )
    .argument('<service...>', 'services to run')
    .option(
      '--metrics-port <port>',
      'port of GET /metrics (METRICS_PORT, default 9464; 0 = any free port)',
    )
    .action(
      action(context, async (services: string[], options: { metricsPort?: string }) => {
        // Nest and the messaging stack load only when a service actually runs.
        const { serve } = await import('./serve.action');
        return serve(context, services, options);
      }),
    );
}
