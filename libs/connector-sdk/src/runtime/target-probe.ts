import { isRetryable } from '@threadline/core';
import type { PolicyHttpClient } from '../http/policy-http.client';

export interface ProbeResult {
  ok: boolean;
  /** The answer's status, when there was one. */
  status?: number;
  latencyMs: number;
  /** What went wrong, without credentials or bodies. */
  error?: string;
  /** Whether trying again later may help (target down) or not (wrong URL, refused credentials). */
  retryable?: boolean;
}

/** GETs `path` through the connector's own client and reports, never throws. */
export async function probeTarget(http: PolicyHttpClient, path: string): Promise<ProbeResult> {
  const started = Date.now();
  try {
    const response = await http.request({ method: 'GET', path, once: true });
    return { ok: true, status: response.status, latencyMs: Date.now() - started };
  } catch (error) {
    return {
      ok: false,
      status: (error as { status?: number }).status,
      latencyMs: Date.now() - started,
      error: error instanceof Error ? error.message : String(error),
      retryable: isRetryable(error),
    };
  }
}
