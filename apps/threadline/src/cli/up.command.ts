import type { Command } from 'commander';
import { action, type CliContext } from './cli-context';
import type { DemoOptions } from './demo.action';
import type { UpOptions } from './up.action';

export function registerUpCommands(program: Command, context: CliContext): void {
  program
    .command('up')
    .alias('start')
    .description(
      'run every service in this process with the plant simulator wired to the connectors ' +
        '(what npm start runs): the embedded default (in-memory broker, SQLite in ./data) unless ' +
        'AMQP_URL and DATABASE_URL are set; the gateway on PORT (default 3000)',
    )
    .option(
      '--metrics-port <port>',
      'port of the process /metrics (METRICS_PORT, default 9464; 0 = any free port)',
    )
    .option('--no-simulator', 'start no simulator; the connectors use the plant at SIM_URL')
    .option('--plc', 'also the shop floor (OPC UA, Modbus) and connector-plc (needs plc trust)')
    .action(
      action(context, async (options: UpOptions) => {
        const { up } = await import('./up.action');
        return up(context, options);
      }),
    );
  program
    .command('demo')
    .description(
      'drive the NC scenario through the simulator against a running `threadline up`: receipt, ' +
        'production, an in-process torque failure, NC, hold with descendants, emergency work ' +
        'order, line stop, work order completed, disposition, release; exit 0 when every step ' +
        'happened, 1 when one did not in time',
    )
    .option('--gateway <url>', 'the gateway (default http://127.0.0.1:3000)')
    .option('--simulator <url>', "the simulator (default: from the gateway's connector targets)")
    .option('--step-timeout <seconds>', 'how long each step may take (default 120)')
    .option(
      '--api-key <key>',
      'a viewer API key for the gateway (THREADLINE_API_KEY; default: the demo key `up` wrote)',
    )
    .action(
      action(context, async (options: DemoOptions) => {
        const { demo } = await import('./demo.action');
        return demo(context, options);
      }),
    );
}
