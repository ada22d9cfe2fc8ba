import type { Command } from 'commander';
import { action, type CliContext } from './cli-context';

/** The database loads only when an audit command runs. */
const actions = () => import('./audit.actions');

export function registerAuditCommands(program: Command, context: CliContext): void {
  const audit = program
    .command('audit')
    .description('the hash-chained audit log (DATABASE_URL, or the embedded SQLite)');
  audit
    .command('verify')
    .description(
      'walk the hash chain: exit 0 when intact (printing the head to keep elsewhere), ' +
        '1 naming the first altered, deleted or reordered entry',
    )
    .option(
      '--head <seq:hash>',
      'a head printed by an earlier verify: entries removed from the end since are found too',
    )
    .option('--json', 'print JSON')
    .action(
      action(context, (options: { json?: boolean; head?: string }) =>
        actions().then((a) => a.verify(context, options)),
      ),
    );
}
