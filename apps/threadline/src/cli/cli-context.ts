import type { Command } from 'commander';
import type { CliIo, ExitCode } from './cli-io';

/** What a command action gets: the injected I/O and a place to leave its exit code. */
export interface CliContext {
  io: CliIo;
  exitCode: ExitCode;
}

/** A group of subcommands (`schemas`, later `serve`, `dlq`, `trace` ...) added to the program. */
export type CommandGroup = (program: Command, context: CliContext) => void;

/** Wraps a command handler so that its result becomes the process exit code. */
export function action<Arguments extends unknown[]>(
  context: CliContext,
  handler: (...parameters: Arguments) => ExitCode | Promise<ExitCode>,
): (...parameters: Arguments) => Promise<void> {
  return async (...parameters) => {
    context.exitCode = await handler(...parameters);
  };
}
