import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { FlowInstance, Lot, LotHold } from '@threadline/persistence';
import { ApiKeyStore, ROLES, type Role } from '@threadline/security';
import { createMemoryIo, ExitCode } from '../../apps/threadline/src/cli/cli-io';
import { runCli } from '../../apps/threadline/src/cli/program';
import { ROUTE_ROLES } from '../../apps/gateway/src/security/route-roles';
import { GatewayHarness, TEST_AUTH, testToken } from '../support/gateway-harness';

type Answer = Awaited<ReturnType<GatewayHarness['request']>>;

const DLQ = 'threadline.event-log.events.dlq';

/** A concrete request for a route of the table: its parameters and a body it accepts. */
function requestFor(route: string): {
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
} {
  const [method, template] = route.split(' ') as [string, string];
  const path = template
    .replace('{id}', randomUUID())
    .replace('{queue}', DLQ)
    .replace('{lotId}', 'LOT-MATRIX')
    .replace('{holdId}', 'H-MATRIX-NONE');
  if (route === 'POST /api/v1/dlq/{queue}/redrive') {
    return {
      method,
      path,
      body: JSON.stringify({ ids: ['not-there'] }),
      headers: { 'content-type': 'application/json', 'X-Threadline-Reason': 'matrix' },
    };
  }
  if (route === 'POST /api/v1/holds/{holdId}/release') {
    return {
      method,
      path,
      body: JSON.stringify({ reason: 'matrix' }),
      headers: { 'content-type': 'application/json' },
    };
  }
  return { method, path, headers: {} };
}

describe('gateway authentication and roles (RabbitMQ + PostgreSQL)', () => {
  let h: GatewayHarness;
  const keys = new Map<Role, string>();
  let revokedKey: string;

  beforeAll(async () => {
    h = await GatewayHarness.start('rabbitmq+postgres');
    const store = new ApiKeyStore(h.runtime.dataSource);
    for (const role of ROLES) {
      keys.set(role, (await store.create({ name: `matrix ${role}`, role })).key);
    }
    const revoked = await store.create({ name: 'matrix revoked', role: 'auditor' });
    await store.revoke(revoked.view.id);
    revokedKey = revoked.key;
  });
  afterAll(() => h?.close());

  it('has every route of the running gateway in the route-to-role table', () => {
    expect(h.routes.length).toBeGreaterThanOrEqual(16);
    expect(h.routes.filter((route) => !ROUTE_ROLES[route])).toEqual([]);
    expect(h.routes).toEqual(
      expect.arrayContaining([
        'POST /api/v1/holds/{holdId}/release',
        'GET /health',
        'GET /metrics',
      ]),
    );
  });

  it('answers every route for every role, token and key as the table says (401, 403 or through)', async () => {
    const bad: [string, Record<string, string>][] = [
      ['no credential', {}],
      [
        'expired token',
        {
          authorization: `Bearer ${await testToken(['auditor', 'operator', 'quality-approver'], { expiresInSeconds: -300 })}`,
        },
      ],
      [
        'wrong audience',
        { authorization: `Bearer ${await testToken([...ROLES], { audience: 'someone-else' })}` },
      ],
      [
        'wrong issuer',
        {
          authorization: `Bearer ${await testToken([...ROLES], { issuer: 'https://evil.example' })}`,
        },
      ],
      [
        'wrong secret',
        {
          authorization: `Bearer ${await testToken([...ROLES], { secret: 'not-the-gateway-secret-0123456789abcdef' })}`,
        },
      ],
      ['revoked API key', { 'X-API-Key': revokedKey }],
      ['malformed API key', { 'X-API-Key': 'tlk_nope' }],
    ];
    const outcomes: string[] = [];
    const problems: string[] = [];
    const check = (route: string, who: string, answer: Answer, expected: 'through' | 401 | 403) => {
      const got =
        answer.status === 401 || answer.status === 403
          ? answer.status
          : answer.status < 500
            ? 'through'
            : answer.status;
      outcomes.push(`${route} ${who} ${got}`);
      if (got !== expected)
        problems.push(
          `${route} as ${who}: expected ${expected}, got ${answer.status} ${answer.text.slice(0, 200)}`,
        );
      if (expected === 401 && got === 401) {
        const challenge = answer.headers.get('www-authenticate') ?? '';
        if (!challenge.startsWith('Bearer realm="threadline"'))
          problems.push(`${route} as ${who}: WWW-Authenticate '${challenge}'`);
        if ((answer.body as { code?: string }).code !== 'UNAUTHENTICATED')
          problems.push(`${route} as ${who}: code ${answer.text}`);
      }
      if (
        expected === 403 &&
        got === 403 &&
        (answer.body as { code?: string }).code !== 'FORBIDDEN'
      ) {
        problems.push(`${route} as ${who}: code ${answer.text}`);
      }
    };
    for (const route of h.routes) {
      const rule = ROUTE_ROLES[route];
      const open = rule.open !== undefined; // /metrics is open by default (METRICS_REQUIRE_AUTH unset)
      for (const role of ROLES) {
        const expected = open || rule.roles.includes(role) ? 'through' : 403;
        const token = await testToken([role], { sub: `matrix-${role}` });
        for (const [who, headers] of [
          [`${role} (token)`, { authorization: `Bearer ${token}` }],
          [`${role} (API key)`, { 'X-API-Key': keys.get(role)! }],
        ] as const) {
          const request = requestFor(route);
          const answer = await h.request(request.method, request.path, {
            headers: { ...request.headers, ...headers },
            body: request.body,
          });
          check(route, who, answer, expected);
        }
      }
      for (const [who, headers] of bad) {
        const request = requestFor(route);
        const answer = await h.request(request.method, request.path, {
          headers: { ...request.headers, ...headers },
          body: request.body,
        });
        check(route, who, answer, open ? 'through' : 401);
      }
    }
    expect(problems).toEqual([]);
    expect(outcomes.length).toBe(h.routes.length * (ROLES.length * 2 + bad.length));
    // The table is not trivial: some routes refuse some roles.
    expect(outcomes.filter((outcome) => outcome.endsWith(' 403')).length).toBeGreaterThan(30);
  });

  it('says why a token is refused, never echoing it', async () => {
    const expired = await testToken(['viewer'], { expiresInSeconds: -300 });
    const answer = await h.request('GET', '/api/v1/flows', {
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ code: 'UNAUTHENTICATED', message: 'token: expired' });
    expect(answer.headers.get('www-authenticate')).toBe(
      'Bearer realm="threadline", error="invalid_token"',
    );
    const wrongAudience = await h.request('GET', '/api/v1/flows', {
      headers: { authorization: `Bearer ${await testToken(['viewer'], { audience: 'x' })}` },
    });
    expect(wrongAudience.body).toEqual({
      code: 'UNAUTHENTICATED',
      message: "token: aud must include 'threadline-api-test'",
    });
    const forbidden = await h.request('POST', '/api/v1/holds/H-1/release', {
      headers: {
        authorization: `Bearer ${await testToken(['viewer'], { sub: 'vic' })}`,
        'content-type': 'application/json',
      },
      body: '{"reason":"x"}',
    });
    expect(forbidden.body).toEqual({
      code: 'FORBIDDEN',
      message:
        'POST /api/v1/holds/{holdId}/release needs one of the roles quality-approver; vic has viewer',
    });
    expect(answer.text).not.toContain(expired);
    // Recorded in the audit log as login.failed, with the reason and never the token.
    const failed = await h.runtime.dataSource.query<{ reason: string; detail: unknown }[]>(
      `SELECT reason, detail FROM audit_entry WHERE action = 'login.failed' AND reason = 'token: expired'`,
    );
    expect(failed.length).toBeGreaterThan(0);
    const all = JSON.stringify(
      await h.runtime.dataSource.query(`SELECT * FROM audit_entry WHERE action = 'login.failed'`),
    );
    expect(all).not.toContain(expired);
    expect(all).not.toContain(revokedKey);
  });

  it('sets helmet headers and keeps the answers free of stack traces', async () => {
    const answer = await h.request('GET', '/api/v1/flows?bogus=1', {
      headers: { authorization: `Bearer ${h.bearer}` },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      code: 'INVALID_QUERY',
      message: expect.stringContaining('bogus: unknown query parameter'),
    });
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(answer.headers.get('x-powered-by')).toBeNull();
  });

  describe('hold release with segregation of duties', () => {
    const approver = (sub: string) =>
      testToken(['quality-approver'], { sub }).then((token) => ({
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      }));
    const release = async (
      holdId: string,
      sub: string,
      body: unknown = { reason: 'MRB: conforming after re-inspection' },
    ) =>
      h.request('POST', `/api/v1/holds/${holdId}/release`, {
        headers: await approver(sub),
        body: JSON.stringify(body),
      });
    const commandsFor = async (holdId: string) =>
      (
        await h.runtime.dataSource.query<{ message_id: string; body: string }[]>(
          `SELECT message_id, body FROM outbox WHERE routing_key = 'erp.inventory.hold.release' AND subject = $1`,
          [holdId],
        )
      ).map((row) => ({
        id: row.message_id,
        envelope: JSON.parse(row.body) as { data: unknown; plant: string },
      }));

    beforeAll(async () => {
      const lots = h.runtime.dataSource.getRepository(Lot);
      const lot = await lots.save(
        Object.assign(new Lot(), {
          lotId: 'LOT-SOD-1',
          plant: 'P01',
          origin: 'received',
          firstSeenAt: new Date(),
        }),
      );
      const holds = h.runtime.dataSource.getRepository(LotHold);
      const hold = (holdId: string, placedBy: object | null, releasedAt: Date | null = null) =>
        Object.assign(new LotHold(), {
          holdId,
          lotSeq: lot.seq,
          ncrId: 'NCR-SOD',
          reason: 'major nonconformance',
          placedAt: new Date(),
          placedBy,
          releasedAt,
          releasedBy: null,
          approvalReason: null,
        });
      await holds.save([
        hold('H-SOD-1', { id: 'alice', kind: 'user' }),
        hold('H-SOD-DONE', { id: 'erp', kind: 'system' }, new Date()),
      ]);
      // A hold the containment flow asked for (requested by carol), not (yet) in lot_hold.
      await h.runtime.dataSource.getRepository(FlowInstance).save(
        Object.assign(new FlowInstance(), {
          id: randomUUID(),
          type: 'ncr-containment',
          subject: 'NCR-SOD-FLOW',
          plant: 'P02',
          correlationId: 'corr-sod',
          state: 'running',
          cursor: 4,
          currentStep: 'disposition',
          context: {
            ncrId: 'NCR-SOD-FLOW',
            requestedBy: { id: 'carol', kind: 'user' },
            holdId: 'H-SOD-FLOW',
            holdPlacedBy: { id: 'erp-user-7', kind: 'user' },
            holdIds: ['H-SOD-FLOW', 'H-SOD-TRACE'],
          },
          startedAt: new Date(),
          updatedAt: new Date(),
          version: 1,
        }),
      );
    });

    it('refuses the approver who placed the hold, and the one whose NC requested it, sending nothing', async () => {
      const placed = await release('H-SOD-1', 'alice');
      expect(placed.status).toBe(403);
      expect(placed.body).toEqual({
        code: 'SEGREGATION_OF_DUTIES',
        message:
          'segregation of duties: alice placed or requested hold H-SOD-1 and cannot approve its release',
      });
      const requested = await release('H-SOD-TRACE', 'carol');
      expect(requested.status).toBe(403);
      expect((requested.body as { code: string }).code).toBe('SEGREGATION_OF_DUTIES');
      const placedInErp = await release('H-SOD-FLOW', 'erp-user-7');
      expect(placedInErp.status).toBe(403);
      expect(await commandsFor('H-SOD-1')).toEqual([]);
      expect(await commandsFor('H-SOD-TRACE')).toEqual([]);
      expect(await commandsFor('H-SOD-FLOW')).toEqual([]);
    });

    it('lets another approver release it: erp.inventory.hold.release in the outbox with approvedBy and the reason', async () => {
      const answer = await release('H-SOD-1', 'bob');
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({
        holdId: 'H-SOD-1',
        commandId: expect.any(String),
        approvedBy: { id: 'bob', kind: 'user' },
      });
      const commands = await commandsFor('H-SOD-1');
      expect(commands).toEqual([
        {
          id: (answer.body as { commandId: string }).commandId,
          envelope: expect.objectContaining({
            plant: 'P01',
            data: {
              holdId: 'H-SOD-1',
              approvedBy: { id: 'bob', kind: 'user' },
              reason: 'MRB: conforming after re-inspection',
            },
          }),
        },
      ]);
      const audit = await h.runtime.dataSource.query<
        { action: string; actor_id: string; reason: string; detail: { commandId?: string } }[]
      >(
        `SELECT action, actor_id, reason, detail FROM audit_entry WHERE subject = 'H-SOD-1' ORDER BY seq`,
      );
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'hold.release-refused',
          actor_id: 'alice',
          reason: expect.stringContaining('segregation of duties'),
        }),
        expect.objectContaining({
          action: 'hold.released',
          actor_id: 'bob',
          reason: 'MRB: conforming after re-inspection',
          detail: expect.objectContaining({
            commandId: (answer.body as { commandId: string }).commandId,
          }),
        }),
      ]);
      const byFlow = await release('H-SOD-FLOW', 'bob');
      expect(byFlow.status).toBe(202);
      expect((await commandsFor('H-SOD-FLOW'))[0]?.envelope.plant).toBe('P02');
    });

    it('answers 404 for an unknown hold, 409 for a released one, and 400 naming the field for a bad body', async () => {
      expect((await release('H-NOWHERE', 'bob')).body).toEqual({
        code: 'HOLD_NOT_FOUND',
        message: "hold 'H-NOWHERE' is not known",
      });
      const done = await release('H-SOD-DONE', 'bob');
      expect(done.status).toBe(409);
      const cases: [unknown, string][] = [
        [{}, 'reason: must be 1-1000 characters (why the hold is released)'],
        [{ reason: '   ' }, 'reason: must be 1-1000 characters (why the hold is released)'],
        [
          { reason: 'x'.repeat(1001) },
          'reason: must be 1-1000 characters (why the hold is released)',
        ],
        [{ reason: 'ok', approvedBy: 'mallory' }, 'approvedBy: unknown field; known: reason'],
        [['reason'], 'body: must be a JSON object: {"reason": "..."}'],
      ];
      for (const [body, message] of cases) {
        const answer = await release('H-SOD-1', 'bob', body);
        expect({ body, status: answer.status, answer: answer.body }).toEqual({
          body,
          status: 400,
          answer: { code: 'INVALID_REQUEST', message },
        });
      }
    });
  });

  it('takes an API key through its life with the CLI: created (shown once), accepted, listed without its secret, revoked and refused', async () => {
    const env = { DATABASE_URL: h.databaseUrl!, USER: 'ops-lead' };
    const made = createMemoryIo('', env);
    expect(
      await runCli(
        ['apikeys', 'create', '--name', 'mes line 3', '--role', 'operator', '--json'],
        made.io,
      ),
    ).toBe(ExitCode.ok);
    const { id, key } = JSON.parse(made.stdout()) as { id: string; key: string };
    const secret = key.slice(`tlk_${id}_`.length);
    expect(key).toMatch(new RegExp(`^tlk_${id}_[A-Za-z0-9_-]{43}$`));

    const accepted = await h.request('GET', '/api/v1/dlq', { headers: { 'X-API-Key': key } });
    expect(accepted.status).toBe(200);
    const forbidden = await h.request('GET', '/api/v1/audit', { headers: { 'X-API-Key': key } });
    expect(forbidden.status).toBe(403);

    const listed = createMemoryIo('', env);
    expect(await runCli(['apikeys', 'list'], listed.io)).toBe(ExitCode.ok);
    expect(listed.stdout()).toMatch(
      new RegExp(`${id}\\s+mes line 3\\s+operator\\s+\\S+\\s+cli:ops-lead`),
    );
    expect(listed.stdout()).not.toContain(secret);
    const stored = JSON.stringify(
      await h.runtime.dataSource.query('SELECT * FROM api_key WHERE id = $1', [id]),
    );
    expect(stored).not.toContain(secret);

    const revoked = createMemoryIo('', env);
    expect(await runCli(['apikeys', 'revoke', id], revoked.io)).toBe(ExitCode.ok);
    const refused = await h.request('GET', '/api/v1/dlq', { headers: { 'X-API-Key': key } });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ code: 'UNAUTHENTICATED', message: 'api key: revoked' });

    const again = createMemoryIo('', env);
    expect(await runCli(['apikeys', 'revoke', id], again.io)).toBe(ExitCode.problemsFound);
    expect(again.stderr()).toContain(`no active API key ${id}`);
    const badRole = createMemoryIo('', env);
    expect(await runCli(['apikeys', 'create', '--name', 'x', '--role', 'root'], badRole.io)).toBe(
      ExitCode.failed,
    );
    expect(badRole.stderr()).toContain(
      'role: must be one of viewer, operator, quality-approver, integration-admin, auditor',
    );

    const audit: { action: string; subject: string; actor_id: string }[] =
      await h.runtime.dataSource.query(
        `SELECT action, subject, actor_id FROM audit_entry WHERE subject = $1 ORDER BY seq`,
        [`apikey:${id}`],
      );
    expect(audit.map((entry) => [entry.action, entry.actor_id])).toEqual([
      ['apikey.created', 'cli:ops-lead'],
      ['apikey.revoked', 'cli:ops-lead'],
    ]);
  });
});

describe('gateway failed-authentication limit and METRICS_REQUIRE_AUTH (embedded default)', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await GatewayHarness.start('in-memory+sqlite', {
      AUTH_FAILURE_LIMIT: '3',
      AUTH_FAILURE_WINDOW_S: '120',
      METRICS_REQUIRE_AUTH: 'true',
    });
  });
  afterAll(() => h?.close());

  it('needs a credential for /metrics when configured, /health never', async () => {
    expect((await h.request('GET', '/health')).status).toBe(200);
    const metrics = await h.request('GET', '/metrics');
    expect(metrics.status).toBe(401);
    const viewer = await testToken(['viewer']);
    expect(
      (await h.request('GET', '/metrics', { headers: { authorization: `Bearer ${viewer}` } }))
        .status,
    ).toBe(200);
  });

  it('answers 429 with Retry-After once a client has failed too often, even with a good credential', async () => {
    // /metrics above failed once already.
    const bad = { authorization: 'Bearer not-a-token' };
    expect((await h.request('GET', '/api/v1/flows', { headers: bad })).status).toBe(401);
    const third = await h.request('GET', '/api/v1/flows', { headers: bad });
    expect(third.status).toBe(429);
    expect(third.body).toEqual({
      code: 'TOO_MANY_FAILED_AUTHENTICATIONS',
      message: expect.stringMatching(/^too many failed authentications; retry after \d+ s$/),
    });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(100);
    const good = await h.request('GET', '/api/v1/flows', {
      headers: { authorization: `Bearer ${h.bearer}` },
    });
    expect(good.status).toBe(429);
    expect((await h.request('GET', '/health')).status).toBe(200);
  });
});

describe('gateway bearer tokens from an identity provider (AUTH_JWKS_URL, embedded default)', () => {
  let h: GatewayHarness;
  let jwks: Server;
  let serving = false;
  type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
  const keys = {} as { rs: KeyPair; es: KeyPair; other: KeyPair };

  const sign = (alg: 'RS256' | 'ES256', key: KeyPair['privateKey'], kid: string) =>
    new SignJWT({ roles: ['viewer'] })
      .setProtectedHeader({ alg, kid })
      .setSubject('idp-user')
      .setIssuer(TEST_AUTH.AUTH_ISSUER)
      .setAudience(TEST_AUTH.AUTH_AUDIENCE)
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    keys.rs = await generateKeyPair('RS256');
    keys.es = await generateKeyPair('ES256');
    keys.other = await generateKeyPair('RS256');
    const set = {
      keys: [
        { ...(await exportJWK(keys.rs.publicKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(keys.es.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' },
      ],
    };
    jwks = createServer((_request, response) => {
      if (!serving) return void response.writeHead(502).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(set));
    });
    await new Promise<void>((done) => jwks.listen(0, '127.0.0.1', done));
    const port = (jwks.address() as AddressInfo).port;
    h = await GatewayHarness.start('in-memory+sqlite', {
      AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((closed) => jwks?.close(closed));
  });

  it('answers 503 while the keys cannot be fetched, then accepts RS256 and ES256 tokens of the set and refuses other keys', async () => {
    const rs = await sign('RS256', keys.rs.privateKey, 'rs-1');
    const down = await h.request('GET', '/api/v1/flows', {
      headers: { authorization: `Bearer ${rs}` },
    });
    expect(down.status).toBe(503);
    expect((down.body as { code: string }).code).toBe('AUTHENTICATION_UNAVAILABLE');
    expect(down.headers.get('retry-after')).toBe('30');
    serving = true;
    for (const token of [rs, await sign('ES256', keys.es.privateKey, 'es-1')]) {
      const answer = await h.request('GET', '/api/v1/flows', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(200);
    }
    const forged = await sign('RS256', keys.other.privateKey, 'rs-1');
    const refused = await h.request('GET', '/api/v1/flows', {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'token: signature or format invalid',
    });
    const viewerOnly = await h.request('GET', '/api/v1/dlq', {
      headers: { authorization: `Bearer ${rs}` },
    });
    expect(viewerOnly.status).toBe(403);
  });
});
