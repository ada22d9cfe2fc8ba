import { setFlagsFromString } from 'node:v8';

/**
 * The edge heap profile (ADR 0011): the old generation grows by 20 % over what survived the last
 * full collection instead of up to 4x. It is not a cap: a process whose live data grows (a
 * backlog after an outage) still gets all the heap it needs, it only collects more often. V8
 * reads it at each full collection, so it works when set at run time (NODE_OPTIONS refuses it).
 */
export const EDGE_HEAP_FLAGS: readonly string[] = ['--heap-growing-percent=20'];

/**
 * What an edge service's process must be started with, since V8 and glibc read it only at start:
 * young-generation semi-spaces of 1 MB instead of up to 16 MB, and two malloc arenas instead of
 * eight per core (worker threads each fragmenting their own). deploy/docker-compose.yml sets it
 * for connector-plc (a unit test keeps the two in step) and bench:plc starts the connector with it.
 */
export const EDGE_PROCESS_ENV: Readonly<Record<string, string>> = {
  NODE_OPTIONS: '--max-semi-space-size=1',
  MALLOC_ARENA_MAX: '2',
};

/**
 * Services meant to run alone on an edge box with a memory budget (issue #5: connector-plc under
 * 150 MB). Their live data is bounded by design (telemetry batches, 500-row outbox rounds), so a
 * tight heap costs a little CPU and no safety.
 */
export const EDGE_SERVICES: ReadonlySet<string> = new Set(['connector-plc']);

/** Options of `threadline serve` that take a value (the next argument is not a service). */
const SERVE_VALUE_OPTIONS = new Set(['--metrics-port']);

/**
 * The V8 flags for a command line (`process.argv.slice(2)`): the edge profile for
 * `serve <service...>` when every service named is an edge service, none otherwise (an
 * all-in-one process keeps V8's defaults).
 */
export function heapFlagsFor(args: readonly string[]): readonly string[] {
  if (args[0] !== 'serve') return [];
  const services: string[] = [];
  for (let index = 1; index < args.length; index++) {
    const arg = args[index];
    if (SERVE_VALUE_OPTIONS.has(arg)) index++;
    else if (!arg.startsWith('-')) services.push(arg);
  }
  return services.length > 0 && services.every((name) => EDGE_SERVICES.has(name))
    ? EDGE_HEAP_FLAGS
    : [];
}

/** Applies `heapFlagsFor(args)`; main calls it before any service code is loaded. */
export function applyHeapProfile(args: readonly string[]): readonly string[] {
  const flags = heapFlagsFor(args);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
