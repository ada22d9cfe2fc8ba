import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { round } from './bench-support';

/**
 * bench:plc measures processes from the outside: the connector is the real `threadline serve
 * connector-plc`, the baselines run in processes of their own, the simulators in another, and
 * the orchestrator (plc.bench.ts) reads their RSS and CPU from /proc and counts what reaches the
 * broker. All of them run compiled JavaScript (see plc-build.ts).
 */

export interface Timing {
  /** From the first sample to the start of the window (subscriptions settle, JIT warms up). */
  readonly warmUpMs: number;
  readonly windowMs: number;
}

export interface OpcUaWorkload {
  readonly endpointUrl: string;
  readonly items: number;
  /** Items are split evenly over this many subscriptions (one monitored-item group each). */
  readonly subscriptions: number;
  readonly samplingIntervalMs: number;
  readonly publishingIntervalMs: number;
  readonly queueSize: number;
}

export interface ModbusWorkload {
  readonly port: number;
  readonly unitIds: readonly number[];
  readonly registersPerUnit: number;
  readonly intervalMs: number;
}

/** The connector's own settings: telemetry batching and rules that see every sample. */
export interface ConnectorSettings {
  readonly tagsPerAsset: number;
  readonly maxBatchSize: number;
  readonly maxDelayMs: number;
  /** Alarm rules on bench tags (thresholds never crossed): the per-sample rule cost. */
  readonly alarmRules: number;
}

/** The request a baseline process answers: how many changes or registers it has seen. */
export interface CountRequest {
  readonly requestId: number;
}
export interface CountReply {
  readonly requestId: number;
  readonly count: number;
}

/** Asks a baseline process for its count over the IPC channel. */
export function countOf(child: ChildProcess): () => Promise<number> {
  let next = 0;
  const waiting = new Map<number, (count: number) => void>();
  child.on('message', (reply: CountReply) => {
    waiting.get(reply.requestId)?.(reply.count);
    waiting.delete(reply.requestId);
  });
  return () =>
    new Promise((resolve) => {
      const requestId = ++next;
      waiting.set(requestId, resolve);
      child.send({ requestId } satisfies CountRequest);
    });
}

/** Answers count requests from the parent until it disconnects. */
export function answerCounts(count: () => number): void {
  process.on('message', (request: CountRequest) => {
    process.send?.({ requestId: request.requestId, count: count() } satisfies CountReply);
  });
}

/**
 * Starts a compiled script with plain node (no loader), passing `argument` as JSON. Its output
 * goes to stderr: stdout is the bench's JSON alone (node-opcua prints warnings with console.log).
 */
export function forkCompiled(file: string, argument: unknown): ChildProcess {
  return fork(file, [JSON.stringify(argument)], {
    execArgv: [],
    stdio: ['ignore', 2, 2, 'ipc'],
  });
}

/** Resolves with the child's exit code (or signal); rejects when it cannot be started. */
export function exited(child: ChildProcess): Promise<number | string | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.exitCode ?? child.signalCode);
      return;
    }
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.once('error', reject);
  });
}

/**
 * Memory and CPU of another process, from /proc: VmRSS is what process.memoryUsage().rss
 * reports inside it, VmHWM the kernel's high-water mark of it; CPU is the time on a CPU from
 * schedstat (nanoseconds).
 */
export class ProcessWatch {
  private readonly timer: NodeJS.Timeout;
  private rssSamples: number[] = [];
  private peakKb = 0;

  constructor(readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  rssMb(): number {
    return megabytes(readRss(this.pid));
  }

  /** Peak RSS over the life of the process (VmHWM; sampled peak once it has exited). */
  peakRssMb(): number {
    this.sample();
    return megabytes(this.peakKb * 1024);
  }

  /** RSS samples since the last call, every 100 ms: their median in MB. */
  medianRssMb(): number {
    const sorted = [...this.rssSamples].sort((a, b) => a - b);
    this.rssSamples = [];
    return megabytes((sorted[Math.floor(sorted.length / 2)] ?? 0) * 1024);
  }

  cpuNanoseconds(): number {
    try {
      return Number(readFileSync(`/proc/${this.pid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      return 0;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const rss = statusKb(this.pid, 'VmRSS');
    if (rss > 0) this.rssSamples.push(rss);
    this.peakKb = Math.max(this.peakKb, rss, statusKb(this.pid, 'VmHWM'));
  }
}

/** Current RSS of a process in bytes (0 once it has exited). */
export function readRss(pid: number): number {
  return statusKb(pid, 'VmRSS') * 1024;
}

function statusKb(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export function megabytes(bytes: number): number {
  return round(bytes / 1024 / 1024, 1);
}

/** CPU between two schedstat readings in percent of one core over `elapsedMs`. */
export function cpuPercent(fromNs: number, toNs: number, elapsedMs: number): number {
  return round(((toNs - fromNs) / 1e6 / elapsedMs) * 100, 1);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The argument the parent gave `forkCompiled`. */
export function scriptArgument<T>(): T {
  return JSON.parse(process.argv[2] ?? 'null') as T;
}
