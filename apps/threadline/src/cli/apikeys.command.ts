import type { Command } from 'commander';
import { action, type CliContext } from './cli-context';

/** The database loads only when an apikeys command runs. */
const actions = () => import('./apikeys.actions');

export function registerApiKeysCommands(program: Command, context: CliContext): void {
  const apikeys = program
    .command('apikeys')
    .description(
      'API keys for machine clients of the gateway (DATABASE_URL, or the embedded SQLite); ' +
        'only their hash is kept',
    );
  apikeys
    .command('create')
    .description(
      'make a key and print it once (it cannot be shown again); recorded in the audit log',
    )
    .requiredOption('--name <name>', 'what uses it, e.g. "mes line 3"')
    .requiredOption(
      '--role <role>',
      'viewer, operator, quality-approver, integration-admin or auditor',
    )
    .option('--json', 'print JSON')
    .action(
      action(context, (options: { name: string; role: string; json?: boolean }) =>
        actions().then((a) => a.create(context, options)),
      ),
    );
  apikeys
    .command('list')
    .description('every key, newest first, revoked ones included (never a secret)')
    .option('--json', 'print JSON')
    .action(
      action(context, (options: { json?: boolean }) =>
        actions().then((a) => a.list(context, options)),
      ),
    );
  apikeys
    .command('revoke')
    .description(
      'revoke a key at once (exit 1 when there is no such active key); recorded in the audit log',
    )
    .argument('<id>', 'the key id (apikeys list)')
    .action(action(context, (id: string) => actions().then((a) => a.revoke(context, id))));
}
