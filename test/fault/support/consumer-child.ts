import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RetryPolicy } from '@threadline/messaging';

const SCRIPT = join(__dirname, 'consumer-process.ts');
const READY_TIMEOUT_MS = 60_000;

/** A consumer child process (see consumer-process.ts) that the test can SIGKILL. */
export class ConsumerChild {
  private constructor(private readonly child: ChildProcess) {}

  static async start(options: {
    databaseUrl: string;
    service: string;
    retryPolicy: RetryPolicy;
  }): Promise<ConsumerChild> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', SCRIPT], {
      cwd: join(__dirname, '..', '..', '..'),
      env: {
        ...process.env,
        FAULT_DATABASE_URL: options.databaseUrl,
        FAULT_SERVICE: options.service,
        FAULT_RETRY_POLICY: JSON.stringify(options.retryPolicy),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const consumer = new ConsumerChild(child);
    try {
      await waitForReady(child);
    } catch (error) {
      await consumer.kill();
      throw error;
    }
    return consumer;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: no drain, no acks, no clean close; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(
      () => fail(new Error(`consumer child not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) =>
      fail(new Error(`consumer child exited with ${code} before ready: ${stderr.slice(-2000)}`)),
    );
  });
}
