import type { Command } from 'commander';
import { action, type CliContext } from './cli-context';

/** The connector SDK (ajv, yaml) loads only when a connectors command runs. */
const actions = () => import('./connectors.actions');

export function registerConnectorsCommands(program: Command, context: CliContext): void {
  const connectors = program.command('connectors').description('connector configuration files');
  connectors
    .command('validate')
    .description(
      'check connector files offline: YAML, ${ENV} variables, schema, cross-field rules and ' +
        'mapping files; every problem of every file at once',
    )
    .argument('[files...]', 'YAML files or directories of them (default: connectors/*.yaml)')
    .action(
      action(context, (files: string[]) =>
        actions().then((loaded) => loaded.validateConnectors(context, files)),
      ),
    );
  connectors
    .command('test')
    .description(
      "probe a connector's target without moving data: one GET of its probe path with the " +
        "connector's own URL, credentials and timeout",
    )
    .argument('<name>', 'connector name (metadata.name)')
    .option('--dir <directory>', 'where the YAML files are (CONNECTORS_DIR, default connectors)')
    .action(
      action(context, (name: string, options: { dir?: string }) =>
        actions().then((loaded) => loaded.testConnector(context, name, options)),
      ),
    );
}
