import { ExitCode } from './cli-io';

/**
 * A failure the user can fix (unreadable file, input that is not JSON, missing directory): its
 * message is printed as one line and the command exits with `exitCode`.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failed,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** Plain words for the file system errors a user can run into. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : FILE_ERRORS[code];
  return known ?? (error instanceof Error ? error.message : String(error));
}

/** `threadline: <message>` on one line, plus the stack only when THREADLINE_DEBUG=1. */
export function formatFailure(
  error: unknown,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = `threadline: ${message.replace(/\s*\n\s*/g, ' ')}\n`;
  const debug = env.THREADLINE_DEBUG === '1' && error instanceof Error && error.stack !== undefined;
  return debug ? `${line}${error.stack}\n` : line;
}
