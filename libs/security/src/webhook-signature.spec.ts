import { createHmac } from 'node:crypto';
import {
  signWebhook,
  verifyWebhookSignature,
  type VerifyWebhookSignatureInput,
  type WebhookSignatureResult,
} from './webhook-signature';

const SECRET = 'qms-webhook-secret';
const NOW = new Date('2026-05-14T06:30:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const BODY = Buffer.from(
  '{"id":"wh_1","event":"nonconformance.raised","data":{"nc_number":"NC-1"}}',
);

function signed(
  overrides: Partial<VerifyWebhookSignatureInput> & { timestamp?: number } = {},
): VerifyWebhookSignatureInput {
  const timestamp = overrides.timestamp ?? NOW_SECONDS;
  return {
    rawBody: BODY,
    timestampHeader: String(timestamp),
    signatureHeader: signWebhook({ rawBody: BODY, secret: SECRET, timestamp }),
    secret: SECRET,
    toleranceSeconds: 300,
    now: NOW,
    ...overrides,
  };
}

describe('signWebhook', () => {
  it('is sha256=<hex HMAC-SHA256 of "timestamp.body">, the plant simulator format', () => {
    const expected = createHmac('sha256', SECRET)
      .update(`${NOW_SECONDS}.${BODY.toString()}`)
      .digest('hex');
    expect(signWebhook({ rawBody: BODY, secret: SECRET, timestamp: NOW_SECONDS })).toBe(
      `sha256=${expected}`,
    );
    expect(signWebhook({ rawBody: BODY.toString(), secret: SECRET, timestamp: NOW_SECONDS })).toBe(
      `sha256=${expected}`,
    );
  });
});

describe('verifyWebhookSignature', () => {
  const ok: WebhookSignatureResult = { ok: true };
  const failure = (reason: string) => ({ ok: false, reason });
  const tampered = Buffer.from(BODY.toString().replace('NC-1', 'NC-2'));
  const otherSignature = signWebhook({ rawBody: BODY, secret: 'wrong', timestamp: NOW_SECONDS });

  it.each<[string, Partial<VerifyWebhookSignatureInput> & { timestamp?: number }, object]>([
    ['a good signature', {}, ok],
    ['a timestamp 300 s old (the edge of the window)', { timestamp: NOW_SECONDS - 300 }, ok],
    ['a timestamp 300 s ahead (clock skew)', { timestamp: NOW_SECONDS + 300 }, ok],
    [
      'a body signed with another secret',
      { signatureHeader: otherSignature },
      failure('signature-mismatch'),
    ],
    ['verified with another secret', { secret: 'wrong' }, failure('signature-mismatch')],
    ['a tampered body', { rawBody: tampered }, failure('signature-mismatch')],
    [
      'a timestamp header changed after signing',
      { timestampHeader: String(NOW_SECONDS + 1) },
      failure('signature-mismatch'),
    ],
    [
      'a timestamp 301 s old',
      { timestamp: NOW_SECONDS - 301 },
      failure('timestamp-outside-window'),
    ],
    [
      'a timestamp 301 s in the future',
      { timestamp: NOW_SECONDS + 301 },
      failure('timestamp-outside-window'),
    ],
    ['no signature header', { signatureHeader: undefined }, failure('missing-signature')],
    ['an empty signature header', { signatureHeader: '  ' }, failure('missing-signature')],
    ['no timestamp header', { timestampHeader: undefined }, failure('missing-timestamp')],
    ['an empty timestamp header', { timestampHeader: '' }, failure('missing-timestamp')],
    [
      'a signature without the sha256= prefix',
      { signatureHeader: 'a'.repeat(64) },
      failure('malformed'),
    ],
    [
      'a signature of another algorithm',
      { signatureHeader: `sha1=${'a'.repeat(40)}` },
      failure('malformed'),
    ],
    [
      'a truncated signature',
      { signatureHeader: `sha256=${'a'.repeat(63)}` },
      failure('malformed'),
    ],
    [
      'a signature with non-hex digits',
      { signatureHeader: `sha256=${'g'.repeat(64)}` },
      failure('malformed'),
    ],
    [
      'a timestamp in milliseconds as an ISO date',
      { timestampHeader: NOW.toISOString() },
      failure('malformed'),
    ],
    ['a negative timestamp', { timestampHeader: '-1' }, failure('malformed')],
    [
      'a repeated signature header',
      { signatureHeader: ['sha256=a', 'sha256=b'] },
      failure('malformed'),
    ],
  ])('%s', (_name, overrides, expected) => {
    const input = signed(overrides);
    expect(verifyWebhookSignature(input)).toEqual(expected);
  });

  it('accepts the hex digits in upper case', () => {
    const input = signed();
    const upper = `sha256=${String(input.signatureHeader).slice('sha256='.length).toUpperCase()}`;
    expect(verifyWebhookSignature({ ...input, signatureHeader: upper })).toEqual({ ok: true });
  });

  it('accepts a header given once as a one-element array, as node:http may', () => {
    const input = signed();
    expect(
      verifyWebhookSignature({ ...input, signatureHeader: [String(input.signatureHeader)] }),
    ).toEqual({ ok: true });
  });

  it('checks the signature over the exact bytes, so re-encoded JSON does not verify', () => {
    const spaced = Buffer.from('{ "id": "wh_1" }');
    const timestamp = NOW_SECONDS;
    const signature = signWebhook({ rawBody: spaced, secret: SECRET, timestamp });
    const reEncoded = Buffer.from(JSON.stringify(JSON.parse(spaced.toString())));
    const base = { timestampHeader: String(timestamp), signatureHeader: signature, secret: SECRET };
    const options = { ...base, toleranceSeconds: 300, now: NOW };
    expect(verifyWebhookSignature({ ...options, rawBody: spaced })).toEqual({ ok: true });
    expect(verifyWebhookSignature({ ...options, rawBody: reEncoded })).toEqual(
      failure('signature-mismatch'),
    );
  });

  it('reports a forged request with an old timestamp as a mismatch, not as stale', () => {
    const input = signed({ timestamp: NOW_SECONDS - 3600, secret: 'wrong' });
    expect(verifyWebhookSignature(input)).toEqual(failure('signature-mismatch'));
  });

  it('uses the current time when none is given', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const input = signed({ timestamp, now: undefined });
    expect(verifyWebhookSignature(input)).toEqual({ ok: true });
    const stale = signed({ timestamp: timestamp - 3600, now: undefined });
    expect(verifyWebhookSignature(stale)).toEqual(failure('timestamp-outside-window'));
  });
});
