import type { Command } from 'commander';
import { action, type CliContext } from './cli-context';
import type { RedriveOptions } from './dlq.actions';

/** The messaging stack loads only when a dlq command runs. */
const actions = () => import('./dlq.actions');

export function registerDlqCommands(program: Command, context: CliContext): void {
  const dlq = program
    .command('dlq')
    .description('inspect and re-drive dead-letter queues (needs AMQP_URL)');
  dlq
    .command('list')
    .description(
      'dead-letter queues with their depth: the given ones, or those of every known service',
    )
    .argument('[queue...]', 'dead-letter queues to show (default: every known service)')
    .option('--json', 'print JSON')
    .action(
      action(context, (queues: string[], options: { json?: boolean }) =>
        actions().then((a) => a.withRuntime(context, (r) => a.list(context, r, queues, options))),
      ),
    );
  dlq
    .command('show')
    .description('headers and body of the first messages of a dead-letter queue (left in place)')
    .argument('<queue>', 'dead-letter queue, e.g. threadline.event-log.events.dlq')
    .option('--limit <n>', 'how many messages', '10')
    .option('--json', 'print JSON')
    .action(
      action(context, (queue: string, options: { limit: string; json?: boolean }) =>
        actions().then((a) => a.withRuntime(context, (r) => a.show(context, r, queue, options))),
      ),
    );
  dlq
    .command('redrive')
    .description(
      'move messages back to their original queue with a fresh attempt count (recorded in dlq_action)',
    )
    .argument('<queue>', 'dead-letter queue')
    .option('--id <messageId...>', 'only these message ids')
    .option('--all', 'every message in the queue')
    .option('--actor <name>', 'who re-drives (recorded); default $USER')
    .option('--reason <text>', 'why (recorded)')
    .action(
      action(context, (queue: string, options: RedriveOptions) =>
        actions().then((a) => a.withRuntime(context, (r) => a.redrive(context, r, queue, options))),
      ),
    );
}
