import { PermanentError, TransientError } from '@threadline/core';

/**
 * What an HTTP failure is about. `path` is the request path without query string or base URL,
 * so neither credentials in a URL nor keys passed as query parameters reach logs or the DLQ.
 * Bodies are never copied into errors: they may carry secrets or personal data.
 */
export interface HttpFailureDetails {
  system: string;
  method: string;
  path: string;
  /** The response status; absent when no response arrived (refused, reset, timed out). */
  status?: number;
  /** The network error code (`ECONNREFUSED`, `ECONNABORTED`, ...) when there was no response. */
  code?: string;
}

function describe(details: HttpFailureDetails): string {
  const outcome =
    details.status === undefined
      ? `failed: ${details.code ?? 'no response'}`
      : `answered ${details.status}`;
  return `${details.system} ${details.method} ${details.path} ${outcome}`;
}

/** A failure that may succeed later (no response, 5xx, 408, 429): retried, then retry tier. */
export class HttpTransientError extends TransientError {
  readonly system: string;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  /** The network error code; `code` is taken by ThreadlineError's error code. */
  readonly networkCode?: string;
  /** How long the target asked us to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(details: HttpFailureDetails & { retryAfterMs?: number }, cause?: unknown) {
    super(describe(details), { cause });
    this.system = details.system;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.networkCode = details.code;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** A failure that will fail the same way every time (4xx other than 408, 409, 429): DLQ. */
export class HttpPermanentError extends PermanentError {
  readonly system: string;
  readonly method: string;
  readonly path: string;
  readonly status?: number;

  constructor(details: HttpFailureDetails, cause?: unknown) {
    super(describe(details), { cause });
    this.system = details.system;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
  }
}

/** Raised without calling the target while its circuit is open (or a half-open trial runs). */
export class CircuitOpenError extends TransientError {
  constructor(readonly system: string) {
    super(`circuit open for ${system}`);
  }
}
