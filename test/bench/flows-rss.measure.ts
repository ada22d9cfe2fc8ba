import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessWatch } from './plc-bench-support';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'threadline', 'src', 'main.js');

export interface AllInOneRss {
  readonly idleMedianMb: number;
  readonly idlePeakMb: number;
  readonly demoMedianMb: number;
  readonly demoPeakMb: number;
  readonly demoSeconds: number;
}

/**
 * The all-in-one as `npm start` runs it (the built `threadline up`, embedded default, data in a
 * temp dir): RSS from /proc over `idleSeconds` after start, then while `threadline demo` drives
 * the scripted NC scenario against it.
 */
export async function measureAllInOneRss(
  baseEnv: NodeJS.ProcessEnv,
  idleSeconds = 15,
): Promise<AllInOneRss> {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-rss-'));
  // From the repository, as `npm start` runs it (connectors/ and config/ are read from there).
  const sqlite = join(workspace, 'threadline.sqlite');
  const up = spawn(process.execPath, [MAIN, 'up'], {
    cwd: ROOT,
    env: {
      ...baseEnv,
      AMQP_URL: '',
      DATABASE_URL: '',
      PORT: '0',
      SIM_PORT: '0',
      WEBHOOK_PORT: '0',
      METRICS_PORT: '0',
      TRACEABILITY_PORT: '0',
      THREADLINE_SQLITE_PATH: sqlite,
      SIM_URL: '',
      LOG_LEVEL: 'warn',
    },
  });
  let stdout = '';
  let stderr = '';
  up.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  up.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise((resolve) => up.on('exit', resolve));
  try {
    const gateway = await waitFor(
      () => /^ {2}gateway +(http:\/\/127\.0\.0\.1:\d+)/m.exec(stdout)?.[1],
      60_000,
      () => `threadline up did not print its gateway: ${stderr.slice(-400)}`,
    );
    const watch = new ProcessWatch(up.pid!);
    await sleep(idleSeconds * 1000);
    const idleMedianMb = watch.medianRssMb();
    const idlePeakMb = watch.peakRssMb();
    const started = Date.now();
    const demo = spawn(process.execPath, [MAIN, 'demo', '--gateway', gateway], {
      cwd: ROOT,
      // The demo finds the viewer key `up` keeps beside the database.
      env: { ...baseEnv, AMQP_URL: '', DATABASE_URL: '', THREADLINE_SQLITE_PATH: sqlite },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let demoErr = '';
    demo.stderr.on('data', (chunk: Buffer) => (demoErr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => demo.on('exit', resolve));
    if (code !== 0) throw new Error(`threadline demo exited ${code}: ${demoErr.slice(-400)}`);
    const result = {
      idleMedianMb,
      idlePeakMb,
      demoMedianMb: watch.medianRssMb(),
      demoPeakMb: watch.peakRssMb(),
      demoSeconds: Math.round((Date.now() - started) / 100) / 10,
    };
    watch.stop();
    return result;
  } finally {
    up.kill('SIGTERM');
    await exited;
    rmSync(workspace, { recursive: true, force: true });
  }
}

async function waitFor<T>(
  probe: () => T | undefined,
  timeoutMs: number,
  message: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(message());
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
