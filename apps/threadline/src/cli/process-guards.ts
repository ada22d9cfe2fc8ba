import { ExitCode } from './cli-io';
import { formatFailure } from './cli.errors';

/**
 * Last line of defence for errors outside a command's promise (stream errors, stray rejections):
 * the same one-line report and exit 2 as runCli, never Node's default stack dump. A closed
 * stdout (`threadline schemas list | head -1`) just ends the process quietly.
 */
export function installProcessGuards(): void {
  const fail = (error: unknown) => {
    process.stderr.write(formatFailure(error, process.env));
    process.exit(ExitCode.failed);
  };
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
    fail(error);
  });
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}
