import { REDACTED, redactCredentialsDeep, redactUrlCredentials } from './log-redaction';

describe('redactUrlCredentials', () => {
  it('masks the password and keeps the user name', () => {
    expect(redactUrlCredentials('amqp://guest:guest@127.0.0.1:5672/vhost')).toBe(
      `amqp://guest:${REDACTED}@127.0.0.1:5672/vhost`,
    );
  });

  it('masks a user info without a password entirely, as it may be a token', () => {
    expect(redactUrlCredentials('https://ghp_abc123@github.com/org/repo')).toBe(
      `https://${REDACTED}@github.com/org/repo`,
    );
  });

  it('masks every URL inside free text', () => {
    const text = 'failover from postgres://app:pw1@db-a/x to postgresql://app:pw2@db-b/x failed';
    const redacted = redactUrlCredentials(text);
    expect(redacted).not.toMatch(/pw1|pw2/);
    expect(redacted).toBe(
      `failover from postgres://app:${REDACTED}@db-a/x to postgresql://app:${REDACTED}@db-b/x failed`,
    );
  });

  it('leaves text without URL credentials alone, e-mail addresses included', () => {
    for (const text of ['http://host:8080/path?q=1', 'mail alice@example.com', 'no url here']) {
      expect(redactUrlCredentials(text)).toBe(text);
    }
  });
});

describe('redactCredentialsDeep', () => {
  it('masks URL credentials in nested objects and arrays without touching the original', () => {
    const original = { config: { targets: [{ url: 'opc.tcp://user:pw@plc:4840' }] }, count: 3 };
    const redacted = redactCredentialsDeep(original);
    expect(redacted).toEqual({
      config: { targets: [{ url: `opc.tcp://user:${REDACTED}@plc:4840` }] },
      count: 3,
    });
    expect(original.config.targets[0].url).toBe('opc.tcp://user:pw@plc:4840');
  });

  it('passes non-plain objects through unchanged', () => {
    const date = new Date(0);
    const error = new Error('amqp://u:p@h');
    expect(redactCredentialsDeep({ date, error })).toEqual({ date, error });
  });
});
