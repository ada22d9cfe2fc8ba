import { createDataSource, initializeDatabase } from '@threadline/persistence';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { ApiKeyError, ApiKeyStore } from './api-keys';
import { authSettings, describeAuth } from './auth-settings';
import { Authenticator, TooManyFailuresError } from './authenticator';
import { AuthenticationError } from './errors';
import { FailureLimiter } from './failure-limiter';
import { JwtVerifier } from './jwt-verifier';
import { SecurityEvents, type SecurityEvent } from './security-events';
import { signTestToken } from './test-tokens';

const SECRET = 'a-test-secret-of-at-least-32-bytes-0123456789';

describe('authSettings', () => {
  it('defaults issuer and audience, and refuses a short secret without showing it', () => {
    const settings = authSettings({ AUTH_JWT_SECRET: SECRET });
    expect(settings).toMatchObject({
      issuer: 'threadline',
      audience: 'threadline-api',
      metricsRequireAuth: false,
      failureLimit: 10,
    });
    expect(JSON.stringify(describeAuth(settings))).not.toContain(SECRET);
    expect(() => authSettings({ AUTH_JWT_SECRET: 'short-secret' })).toThrow(
      'AUTH_JWT_SECRET must be at least 32 bytes (HS256), got 12',
    );
    expect(() => authSettings({ AUTH_JWT_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => authSettings({ METRICS_REQUIRE_AUTH: 'yes' })).toThrow(
      "METRICS_REQUIRE_AUTH must be true or false, got 'yes'",
    );
    expect(() => authSettings({ AUTH_JWKS_URL: 'ftp://x' })).toThrow('AUTH_JWKS_URL must be');
  });
});

describe('JwtVerifier (HS256)', () => {
  const verifier = new JwtVerifier(authSettings({ AUTH_JWT_SECRET: SECRET }));
  const sign = (over: Partial<Parameters<typeof signTestToken>[0]> = {}) =>
    signTestToken({ secret: SECRET, sub: 'alice', roles: ['viewer', 'bogus'], ...over });

  it('accepts a good token with its known roles', async () => {
    await expect(verifier.verify(await sign({ name: 'Alice A.' }))).resolves.toEqual({
      id: 'alice',
      kind: 'user',
      name: 'Alice A.',
      roles: ['viewer'],
      via: 'bearer',
    });
  });

  it.each([
    ['expired', { expiresInSeconds: -120 }, 'token: expired'],
    ['wrong audience', { audience: 'other' }, "token: aud must include 'threadline-api'"],
    ['wrong issuer', { issuer: 'evil' }, "token: iss must be 'threadline'"],
    [
      'wrong secret',
      { secret: 'another-secret-of-at-least-32-bytes-xx' },
      'token: signature or format invalid',
    ],
    ['a sub that is no Id', { sub: 'a b@c' }, 'token: sub must be an Id'],
  ])('refuses a token: %s', async (_, over, message) => {
    await expect(verifier.verify(await sign(over))).rejects.toThrow(message);
  });

  it('refuses alg none and garbage', async () => {
    const header = Buffer.from('{"alg":"none"}').toString('base64url');
    const body = Buffer.from('{"sub":"x","exp":9999999999}').toString('base64url');
    await expect(verifier.verify(`${header}.${body}.`)).rejects.toThrow(
      'token: alg must be one of HS256',
    );
    await expect(verifier.verify('garbage')).rejects.toThrow('token: not a JWT');
  });
});

describe('JwtVerifier (RS256/ES256 keys of a JWKS)', () => {
  it('accepts a token signed by a key of the set, refuses HS256 and other keys', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const settings = authSettings({ AUTH_JWKS_URL: 'https://idp.example/jwks' });
    const verifier = new JwtVerifier(settings, createLocalJWKSet({ keys: [jwk] }));
    const token = (key: Parameters<SignJWT['sign']>[0]) =>
      new SignJWT({ roles: ['operator'] })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject('bob')
        .setIssuer('threadline')
        .setAudience('threadline-api')
        .setExpirationTime('5m')
        .sign(key);
    await expect(verifier.verify(await token(privateKey))).resolves.toMatchObject({
      id: 'bob',
      roles: ['operator'],
    });
    await expect(verifier.verify(await token(other.privateKey))).rejects.toThrow(
      AuthenticationError,
    );
    await expect(
      verifier.verify(await signTestToken({ secret: SECRET, sub: 'x', roles: [] })),
    ).rejects.toThrow('token: alg must be one of RS256, ES256');
  });
});

describe('FailureLimiter', () => {
  it('refuses a client past the limit until its window ends, others go on', () => {
    let now = 0;
    const limiter = new FailureLimiter(3, 60_000, 10, () => now);
    expect(limiter.fail('a')).toBe(0);
    expect(limiter.fail('a')).toBe(0);
    expect(limiter.fail('a')).toBe(60);
    now = 30_000;
    expect(limiter.retryAfterSeconds('a')).toBe(30);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    now = 60_000;
    expect(limiter.retryAfterSeconds('a')).toBe(0);
  });

  it('tracks at most maxClients', () => {
    const limiter = new FailureLimiter(1, 60_000, 2, () => 0);
    limiter.fail('a');
    limiter.fail('b');
    limiter.fail('c');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    expect(limiter.retryAfterSeconds('c')).toBe(60);
  });
});

describe('ApiKeyStore and Authenticator on SQLite', () => {
  let dataSource: DataSource;
  let keys: ApiKeyStore;
  let events: SecurityEvent[];
  let authenticator: Authenticator;
  const request = { client: '10.0.0.1', method: 'GET', path: '/api/v1/flows' };

  beforeEach(async () => {
    dataSource = createDataSource({ sqlitePath: ':memory:' });
    await initializeDatabase(dataSource);
    keys = new ApiKeyStore(dataSource);
    events = [];
    const channel = new SecurityEvents();
    channel.subscribe((event) => events.push(event));
    const settings = authSettings({ AUTH_JWT_SECRET: SECRET, AUTH_FAILURE_LIMIT: '3' });
    authenticator = new Authenticator(new JwtVerifier(settings), keys, settings, channel);
  });
  afterEach(() => dataSource.destroy());

  it('creates a key shown once, stores only its hash, verifies it, and refuses it once revoked', async () => {
    const { key, view } = await keys.create({
      name: 'mes line 3',
      role: 'operator',
      createdBy: 'ops',
    });
    expect(key).toMatch(/^tlk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const [row] = await dataSource.query('SELECT * FROM api_key');
    expect(JSON.stringify(row)).not.toContain(key.slice(21));
    await expect(authenticator.authenticate({ ...request, apiKey: key })).resolves.toEqual({
      id: `apikey:${view.id}`,
      kind: 'machine',
      name: 'mes line 3',
      roles: ['operator'],
      via: 'api-key',
    });
    expect(await keys.list()).toEqual([expect.objectContaining({ id: view.id, revokedAt: null })]);
    expect(await keys.revoke(view.id)).toBe(true);
    expect(await keys.revoke(view.id)).toBe(false);
    await expect(authenticator.authenticate({ ...request, apiKey: key })).rejects.toThrow(
      'api key: revoked',
    );
    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    await expect(keys.verify(tampered)).rejects.toThrow('api key: unknown');
  });

  it('refuses a bad name or role naming the field', async () => {
    await expect(keys.create({ name: '', role: 'operator' })).rejects.toThrow(ApiKeyError);
    await expect(keys.create({ name: 'x', role: 'root' })).rejects.toThrow(
      'role: must be one of viewer, operator, quality-approver, integration-admin, auditor',
    );
  });

  it('reports failures without the credential and refuses a client past the limit, good key or not', async () => {
    const { key } = await keys.create({ name: 'k', role: 'viewer' });
    await expect(authenticator.authenticate(request)).rejects.toThrow('a credential is required');
    await expect(
      authenticator.authenticate({ ...request, authorization: 'Bearer not.a.jwt' }),
    ).rejects.toThrow(AuthenticationError);
    await expect(
      authenticator.authenticate({
        ...request,
        apiKey: 'tlk_0000000000000000_secretsecretsecretsecretsecretsecretsecret0',
      }),
    ).rejects.toThrow(TooManyFailuresError);
    await expect(authenticator.authenticate({ ...request, apiKey: key })).rejects.toThrow(
      TooManyFailuresError,
    );
    await expect(
      authenticator.authenticate({ ...request, client: '10.0.0.2', apiKey: key }),
    ).resolves.toMatchObject({ roles: ['viewer'] });
    expect(events.map((event) => event.kind)).toEqual([
      'authentication-failed',
      'authentication-failed',
      'authentication-failed',
    ]);
    expect(JSON.stringify(events)).not.toContain('secretsecret');
  });

  it('refuses two credentials, and another scheme', async () => {
    const token = await signTestToken({ secret: SECRET, sub: 'a', roles: ['viewer'] });
    await expect(
      authenticator.authenticate({ ...request, authorization: `Bearer ${token}`, apiKey: 'x' }),
    ).rejects.toThrow('give one credential');
    await expect(
      authenticator.authenticate({ ...request, authorization: 'Basic YTpi' }),
    ).rejects.toThrow('Authorization: must be Bearer <token>');
    await expect(
      authenticator.authenticate({ ...request, authorization: `bearer ${token}` }),
    ).resolves.toMatchObject({ id: 'a' });
  });
});

describe('SecurityEvents', () => {
  it('keeps a throwing listener from reaching the caller', () => {
    const errors: unknown[] = [];
    const channel = new SecurityEvents((error) => errors.push(error));
    const seen: string[] = [];
    channel.subscribe(() => {
      throw new Error('broken');
    });
    const stop = channel.subscribe((event) => seen.push(event.kind));
    const event = { kind: 'api-key-revoked', at: new Date(), keyId: 'k', actor: 'a' } as const;
    channel.emit(event);
    stop();
    channel.emit(event);
    expect(seen).toEqual(['api-key-revoked']);
    expect(errors).toHaveLength(2);
  });
});
