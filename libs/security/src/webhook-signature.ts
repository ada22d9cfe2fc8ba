import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 webhook signatures: `X-Threadline-Signature: sha256=<hex>` over
 * `"${timestamp}.${rawBody}"`, with `X-Threadline-Timestamp` in unix seconds. Pure functions with
 * no dependency beyond node:crypto; the connector SDK's webhook ingress uses them.
 */

export const SIGNATURE_PREFIX = 'sha256=';

export type WebhookSignatureFailure =
  | 'missing-signature'
  | 'missing-timestamp'
  | 'malformed'
  | 'timestamp-outside-window'
  | 'signature-mismatch';

export type WebhookSignatureResult = { ok: true } | { ok: false; reason: WebhookSignatureFailure };

/** A header as node:http gives it: absent, once, or repeated. */
export type HeaderValue = string | readonly string[] | undefined;

export interface VerifyWebhookSignatureInput {
  /** The body exactly as received, before any parsing. */
  rawBody: Buffer;
  timestampHeader: HeaderValue;
  signatureHeader: HeaderValue;
  secret: string;
  /** How far the timestamp may be from `now`, in either direction. */
  toleranceSeconds: number;
  /** Default: the current time. */
  now?: Date;
}

export interface SignWebhookInput {
  rawBody: Buffer | string;
  secret: string;
  /** Unix seconds, the value sent as X-Threadline-Timestamp. */
  timestamp: number | string;
}

const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const SIGNATURE_PATTERN = /^sha256=([0-9a-fA-F]{64})$/;

/** The X-Threadline-Signature value for a body and timestamp (senders, simulators, tests). */
export function signWebhook(input: SignWebhookInput): string {
  return SIGNATURE_PREFIX + hmacHex(input.secret, String(input.timestamp), input.rawBody);
}

/**
 * Checks a webhook's signature and freshness. The reasons say what is wrong with the request,
 * never what was expected, so they are safe to return to the caller.
 *
 * The signature is checked before the window, so `timestamp-outside-window` is only reported for
 * a request that was signed with the right secret (clock skew or a late replay), never to a
 * forger probing the window.
 */
export function verifyWebhookSignature(input: VerifyWebhookSignatureInput): WebhookSignatureResult {
  const signatureHeader = single(input.signatureHeader);
  const timestampHeader = single(input.timestampHeader);
  if (signatureHeader === undefined) return fail('missing-signature');
  if (timestampHeader === undefined) return fail('missing-timestamp');
  const signature = SIGNATURE_PATTERN.exec(signatureHeader.trim());
  const timestamp = timestampHeader.trim();
  if (signature === null || !TIMESTAMP_PATTERN.test(timestamp)) return fail('malformed');

  const expected = Buffer.from(hmacHex(input.secret, timestamp, input.rawBody), 'hex');
  const received = Buffer.from(signature[1].toLowerCase(), 'hex');
  // timingSafeEqual throws on different lengths; the pattern fixes 32 bytes, this keeps it safe.
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return fail('signature-mismatch');
  }

  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > input.toleranceSeconds) {
    return fail('timestamp-outside-window');
  }
  return { ok: true };
}

function hmacHex(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** An empty header counts as missing; a repeated one (two values) as malformed. */
function single(value: HeaderValue): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    if (value.length === 0) return undefined;
    return value.length === 1 ? single(value[0]) : '';
  }
  return value.trim() === '' ? undefined : value;
}

function fail(reason: WebhookSignatureFailure): WebhookSignatureResult {
  return { ok: false, reason };
}
