import { randomUUID } from 'node:crypto';
import type { CloudEventEnvelope } from '@threadline/schema-registry';

/** Serialized size each benchmark message is padded to (the description absorbs the rest). */
export const BODY_BYTES = 1024;

export interface Throughput {
  readonly msgsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly seconds: number;
}

/**
 * Marks this run's events: the event-log service binds '#' on the shared events exchange, so it
 * also sees whatever other processes publish meanwhile; only ours are counted.
 */
export const BENCH_RUN = `bench-${randomUUID().slice(0, 8)}`;

/**
 * A realistic quality.nonconformance.raised event whose JSON is `BODY_BYTES` long. Each event has
 * its own subject, as real NCRs do, so the relay's per-subject ordering locks never serialize it.
 */
export function benchmarkEvent(
  sequence: number,
  time = new Date(),
  run = BENCH_RUN,
): CloudEventEnvelope {
  const id = randomUUID();
  const ncrId = `NCR-${String(sequence).padStart(7, '0')}`;
  const event: CloudEventEnvelope = {
    specversion: '1.0',
    id,
    type: 'quality.nonconformance.raised',
    source: '/plants/P01/qms/qms-main',
    time: time.toISOString(),
    subject: ncrId,
    datacontenttype: 'application/json',
    dataschema: 'urn:threadline:schema:quality.nonconformance.raised:1',
    correlationid: id,
    idempotencykey: `${run}:${ncrId}:raised`,
    plant: 'P01',
    data: {
      ncrId,
      severity: 'major',
      lotIds: ['LOT-2026-0457', 'LOT-2026-0458'],
      defectCode: 'DIM-OOT-012',
      description: 'Bore diameter above upper specification limit.',
      detectedAt: '2026-05-14T08:27:41+02:00',
    },
  };
  const data = event.data as { description: string };
  const missing = BODY_BYTES - Buffer.byteLength(JSON.stringify(event));
  if (missing > 1) data.description += ` ${'x'.repeat(missing - 1)}`;
  return event;
}

/** Throughput from first send to last completion, and latency percentiles in milliseconds. */
export function summarize(
  count: number,
  startedMs: number,
  finishedMs: number,
  latenciesMs: number[],
): Throughput {
  const seconds = (finishedMs - startedMs) / 1000;
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    msgsPerSecond: Math.round(count / seconds),
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    seconds: round(seconds),
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Resolves once `done()` returns true, checking every `intervalMs`; rejects after `timeoutMs`. */
export async function waitUntil(
  done: () => boolean,
  what: string,
  timeoutMs: number,
  intervalMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`benchmark timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
