import type { Command } from 'commander';
import { action, type CliContext } from './cli-context';

/** The database and the genealogy queries load only when a trace command runs. */
const actions = () => import('./trace.actions');

export function registerTraceCommands(program: Command, context: CliContext): void {
  program
    .command('trace')
    .description(
      'where a lot came from (backward, the default) or went (forward), from the genealogy ' +
        '(DATABASE_URL, or the embedded SQLite)',
    )
    .argument('<lotId>', 'the lot to trace')
    .option('--forward', 'descendants: the lots made from it')
    .option('--backward', 'ancestors: the lots it was made from (default)')
    .option('--max-depth <n>', 'stop after this many links')
    .option('--json', 'print the API JSON')
    .action(
      action(context, (lotId: string, options: TraceCliOptions) =>
        actions().then((a) => a.trace(context, lotId, options)),
      ),
    );
  program
    .command('recall')
    .description('recall scope of a lot: every affected lot, what is on hand, shipments, customers')
    .argument('<lotId>', 'the suspect lot')
    .option('--json', 'print the API JSON')
    .action(
      action(context, (lotId: string, options: { json?: boolean }) =>
        actions().then((a) => a.recall(context, lotId, options)),
      ),
    );
}

export interface TraceCliOptions {
  forward?: boolean;
  backward?: boolean;
  maxDepth?: string;
  json?: boolean;
}
