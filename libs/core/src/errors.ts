/**
 * Typed errors shared by every Threadline library. Each carries a stable `code`, keeps its
 * `cause`, and says whether trying again can help (`retryable`), which is what the transport
 * uses to choose between a retry tier and the dead-letter queue.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNKNOWN_TYPE'
  | 'UNROUTABLE'
  | 'TRANSIENT'
  | 'PERMANENT'
  | 'CONFIGURATION_INVALID'
  | 'NOT_FOUND';

export interface ThreadlineErrorOptions {
  cause?: unknown;
  retryable?: boolean;
}

export class ThreadlineError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: ThreadlineErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
}

/** A failure that may succeed later (network, broker, database, 5xx): retried with backoff. */
export class TransientError extends ThreadlineError {
  constructor(message: string, options: Omit<ThreadlineErrorOptions, 'retryable'> = {}) {
    super('TRANSIENT', message, { ...options, retryable: true });
  }
}

/** A failure that will fail the same way every time: dead-lettered at once. */
export class PermanentError extends ThreadlineError {
  constructor(message: string, options: Omit<ThreadlineErrorOptions, 'retryable'> = {}) {
    super('PERMANENT', message, { ...options, retryable: false });
  }
}

/** Whether an unknown thrown value should be retried. Unclassified errors are retried. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ThreadlineError ? error.retryable : true;
}
