import { Command, CommanderError } from 'commander';
import type { CliContext, CommandGroup } from './cli-context';
import { type CliIo, ExitCode } from './cli-io';
import { CliError, formatFailure } from './cli.errors';
import { readPackageVersion } from '@threadline/core';
import { registerApiKeysCommands } from './apikeys.command';
import { registerAuditCommands } from './audit.command';
import { registerConnectorsCommands } from './connectors.command';
import { registerDlqCommands } from './dlq.command';
import { registerPlcCommands } from './plc.command';
import { registerSchemasCommands } from './schemas.command';
import { registerServeCommand } from './serve.command';
import { registerTraceCommands } from './trace.command';
import { registerUpCommands } from './up.command';

/** Adding a command group is one line here. */
const COMMAND_GROUPS: readonly CommandGroup[] = [
  registerSchemasCommands,
  registerServeCommand,
  registerUpCommands,
  registerDlqCommands,
  registerConnectorsCommands,
  registerPlcCommands,
  registerTraceCommands,
  registerAuditCommands,
  registerApiKeysCommands,
];

export function buildProgram(
  context: CliContext,
  groups: readonly CommandGroup[] = COMMAND_GROUPS,
): Command {
  const program = new Command('threadline')
    .description(
      'Threadline: integration middleware for manufacturing plants. ' +
        'Exit codes: 0 ok, 1 problems found, 2 could not run.',
    )
    .version(readPackageVersion(), '-V, --version', 'print the Threadline version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout(text),
      writeErr: (text) => context.io.stderr(text),
    });
  // Subcommands created through program.command() inherit the output and exit settings above.
  for (const register of groups) register(program, context);
  return program;
}

/** Runs the CLI in-process and resolves to its exit code; never rejects. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  groups: readonly CommandGroup[] = COMMAND_GROUPS,
): Promise<ExitCode> {
  const context: CliContext = { io, exitCode: ExitCode.ok };
  try {
    await buildProgram(context, groups).parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** One line, no stack trace (unless THREADLINE_DEBUG=1), exit 2. */
function reportFailure(error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has already printed the help, version or usage error.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.failed;
  }
  io.stderr(formatFailure(error, io.env));
  return error instanceof CliError ? error.exitCode : ExitCode.failed;
}
