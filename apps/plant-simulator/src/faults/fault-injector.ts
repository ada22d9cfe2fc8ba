import { HttpError } from '../http/http-router';
import { optionalNumber, requireObject, type JsonObject } from '../http/request-fields';
import type { FaultConfig, SystemName } from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';

export type FaultDecision =
  | { kind: 'pass'; delayMs: number }
  | { kind: 'drop'; delayMs: number }
  | { kind: 'fail'; delayMs: number; status: number; retryAfterSeconds: number | null };

function readStatus(body: JsonObject): 503 | 429 | null {
  const status = body.status;
  if (status === undefined || status === null) return null;
  if (status !== 503 && status !== 429)
    throw new HttpError(400, 'INVALID_FIELD', "Field 'status' must be 503 or 429");
  return status;
}

function readBounded(
  body: JsonObject,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const value = optionalNumber(body, field);
  if (value !== undefined && (value < min || value > max)) {
    throw new HttpError(400, 'INVALID_FIELD', `Field '${field}' must be between ${min} and ${max}`);
  }
  return value;
}

/** Validates a `POST /_sim/faults/{system}` body into a stored fault. */
export function parseFaultConfig(rawBody: unknown, nowMs: number): FaultConfig {
  const body = requireObject(rawBody);
  const forSeconds = readBounded(body, 'forSeconds', 0, 86_400);
  const outage = body.outage;
  if (outage !== undefined && typeof outage !== 'boolean') {
    throw new HttpError(400, 'INVALID_FIELD', "Field 'outage' must be a boolean");
  }
  const status = readStatus(body);
  return {
    latencyMs: readBounded(body, 'latencyMs', 0, 60_000) ?? 0,
    errorRate: readBounded(body, 'errorRate', 0, 1) ?? 0,
    status,
    retryAfterSeconds:
      readBounded(body, 'retryAfterSeconds', 0, 3600) ?? (status === 429 ? 1 : null),
    outage: outage === true,
    until: forSeconds === undefined ? null : new Date(nowMs + forSeconds * 1000).toISOString(),
    errorAccumulator: 0,
  };
}

/**
 * Decides what happens to one request to a faulty system. Deterministic on purpose:
 * - `outage`: the connection is dropped without a response.
 * - `status` without `errorRate`: every request gets that status (a 503 or 429 window).
 * - `errorRate` r: an every-Nth rule, not a random draw. Each request adds r to a running sum;
 *   when the sum reaches 1 the request fails (with `status`, else 500) and 1 is subtracted.
 *   So r = 0.25 fails requests 4, 8, 12 ...; r = 1 fails all.
 * - `latencyMs` delays every request, failed or not.
 * - `until` (from `forSeconds`): after it the fault is cleared and the system recovers.
 */
export class FaultInjector {
  constructor(private readonly store: SimulatorStore) {}

  set(system: SystemName, config: FaultConfig): void {
    this.store.state.faults[system] = config;
  }

  clear(system: SystemName): void {
    this.store.state.faults[system] = null;
  }

  decide(system: SystemName, nowMs = Date.now()): FaultDecision {
    const fault = this.store.state.faults[system];
    if (!fault) return { kind: 'pass', delayMs: 0 };
    if (fault.until !== null && nowMs >= Date.parse(fault.until)) {
      this.clear(system);
      return { kind: 'pass', delayMs: 0 };
    }
    const delayMs = fault.latencyMs;
    if (fault.outage) return { kind: 'drop', delayMs };
    const retryAfterSeconds = fault.retryAfterSeconds;
    if (fault.errorRate > 0) {
      fault.errorAccumulator += fault.errorRate;
      if (fault.errorAccumulator >= 1 - 1e-9) {
        fault.errorAccumulator -= 1;
        return { kind: 'fail', delayMs, status: fault.status ?? 500, retryAfterSeconds };
      }
      return { kind: 'pass', delayMs };
    }
    if (fault.status !== null)
      return { kind: 'fail', delayMs, status: fault.status, retryAfterSeconds };
    return { kind: 'pass', delayMs };
  }
}
