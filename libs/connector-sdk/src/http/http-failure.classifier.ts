/**
 * How an HTTP outcome is handled (issue 4: permanent failures are 4xx other than 408, 409, 429):
 * - `success`: below 400 (redirects are not followed, so a 3xx is returned as it is);
 * - `conflict`: 409, returned to the caller as a result, not thrown: the target says the work
 *   is already done or is being done concurrently, which a check-before-create handler resolves
 *   (read the resource, compare, ack); retrying the same request would only conflict again;
 * - `transient`: 408, 429 and 5xx, retried with backoff and then sent to a retry tier;
 * - `permanent`: every other 4xx, sent to the DLQ at once.
 */
export type HttpStatusClass = 'success' | 'conflict' | 'transient' | 'permanent';
export type HttpFailureClass = 'transient' | 'permanent';

export function classifyHttpStatus(status: number): HttpStatusClass {
  if (status < 400) return 'success';
  if (status === 409) return 'conflict';
  if (status === 408 || status === 429 || status >= 500) return 'transient';
  return 'permanent';
}

/**
 * Errors that say the request itself is wrong and would fail the same way again. Everything
 * else without a response (refused, reset, timed out, DNS, socket hang-up, unknown) is transient:
 * unclassified errors are retried, as everywhere in Threadline.
 */
const PERMANENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ERR_INVALID_URL',
  'ERR_BAD_OPTION',
  'ERR_BAD_OPTION_VALUE',
  'ERR_NOT_SUPPORT',
  'ERR_FR_TOO_MANY_REDIRECTS',
  'ERR_FORM_DATA_DEPTH_EXCEEDED',
  'ERR_INVALID_CHAR',
  'ERR_HTTP_INVALID_HEADER_VALUE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Classifies a failed call: a response (`{ status }`), an error carrying one
 * (`{ response: { status } }`, as axios errors do) or a network error (`{ code }`).
 * A 409 is `transient` here only if it reaches this function as a failure; the client itself
 * returns it as a result (see `classifyHttpStatus`).
 */
export function classifyHttpFailure(errorOrResponse: unknown): HttpFailureClass {
  const status = statusOf(errorOrResponse);
  if (status !== undefined) {
    return classifyHttpStatus(status) === 'permanent' ? 'permanent' : 'transient';
  }
  const code = codeOf(errorOrResponse);
  return code !== undefined && PERMANENT_ERROR_CODES.has(code) ? 'permanent' : 'transient';
}

function statusOf(value: unknown): number | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.status === 'number') return value.status;
  const response = value.response;
  return isObject(response) && typeof response.status === 'number' ? response.status : undefined;
}

function codeOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.code === 'string' ? value.code : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
