import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/**
 * `threadline serve <services...>` as its own process from the sources, on the embedded default
 * unless `env` says otherwise; its output is collected for assertions.
 */
export function serveProcess(services: readonly string[], env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'apps/threadline/src/main.ts', 'serve', ...services],
    { cwd: root, env: { ...process.env, AMQP_URL: '', DATABASE_URL: '', ...env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => ({ stdout, stderr }) };
}
