/**
 * Exit codes shared by every command: 0 = done / valid, 1 = the check found a problem
 * (invalid document, breaking change), 2 = the command could not do its job (unreadable input,
 * bad usage, broken configuration, unexpected error).
 */
export const ExitCode = { ok: 0, problemsFound: 1, failed: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Everything a command touches outside itself, injected so commands run in-process in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The whole of standard input, read when a command is given `-` as its file. */
  readStdin(): Promise<Buffer>;
  env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: () => readStream(process.stdin),
    env: process.env,
  };
}

export interface MemoryIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
}

/** Collects output in memory; `stdin` is what `-` reads. */
export function createMemoryIo(
  stdin: string | Buffer = '',
  env: Record<string, string | undefined> = {},
): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: (text) => void out.push(text),
      stderr: (text) => void err.push(text),
      readStdin: () => Promise.resolve(Buffer.from(stdin)),
      env,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}
