import fc from 'fast-check';
import { ROLES } from '@threadline/security';
import { GatewayHarness, testToken } from '../support/gateway-harness';

const RUNS = 5_000;

/** Header names fetch accepts (RFC 7230 tokens) that are not hop-by-hop or length headers. */
const headerName = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/)
  .filter(
    (name) =>
      !/^(content-length|transfer-encoding|connection|host|keep-alive|upgrade|expect|te|trailer)$/i.test(
        name,
      ),
  );
/** Printable ASCII header values (fetch refuses control characters before they leave). */
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/).map((value) => value.trim());
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '99999999999',
    'null',
    'true',
    '%00',
    '../../etc',
    "' OR 1=1 --",
    'Ω≈ç√',
    'a'.repeat(300),
  ),
);
const pathSegment = fc.oneof(
  text,
  fc.constantFrom('threadline.event-log.events.dlq', 'LOT-1', 'H-1'),
);
const body = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '',
    '{',
    '[]',
    'null',
    '{"ids":[]}',
    '{"all":true}',
    '{"reason":"x"}',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
  ),
);

describe('gateway under fuzzed input (RabbitMQ + PostgreSQL)', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await GatewayHarness.start('rabbitmq+postgres');
  });
  afterAll(() => h?.close());

  it(`answers ${RUNS} fuzzed bodies, queries and headers across every route with 2xx-4xx only, as JSON errors without stack traces, and stays up`, async () => {
    const tokens = [h.bearer, ...(await Promise.all(ROLES.map((role) => testToken([role]))))];
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...h.routes),
        fc.array(pathSegment, { minLength: 4, maxLength: 4 }),
        fc.dictionary(
          fc.oneof(
            fc.constantFrom(
              'limit',
              'cursor',
              'type',
              'state',
              'subject',
              'correlationId',
              'direction',
              'depth',
              'format',
            ),
            text,
          ),
          fc.oneof(text, fc.array(text, { maxLength: 3 })),
          { maxKeys: 4 },
        ),
        fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
        fc.oneof(
          fc.constant<Record<string, string>>({}),
          fc.constantFrom(...tokens).map((token) => ({ authorization: `Bearer ${token}` })),
          headerValue.map((junk) => ({ authorization: `Bearer ${junk}` })),
          headerValue.map((junk) => ({ 'X-API-Key': junk })),
        ),
        fc.option(body, { nil: undefined }),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
        ),
        async (route, segments, query, headers, credential, payload, contentType) => {
          const [method, template] = route.split(' ') as [string, string];
          let index = 0;
          const path = template.replace(/\{\w+\}/g, () =>
            encodeURIComponent(segments[index++] ?? 'x'),
          );
          const search = new URLSearchParams();
          for (const [name, value] of Object.entries(query)) {
            for (const one of Array.isArray(value) ? value : [value]) search.append(name, one);
          }
          const answer = await h.request(
            method,
            `${path}${search.size > 0 ? `?${search.toString()}` : ''}`,
            {
              headers: {
                ...headers,
                ...credential,
                ...(method === 'POST' && payload !== undefined
                  ? { 'content-type': contentType }
                  : {}),
              },
              body: method === 'POST' ? payload : undefined,
            },
          );
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status >= 500 || answer.status < 200) {
            problems.push(
              `${method} ${path}?${search.toString()}: ${answer.status} ${answer.text.slice(0, 200)}`,
            );
          }
          if (answer.status >= 400) {
            const error = answer.body as { code?: unknown; message?: unknown };
            if (typeof error.code !== 'string' || typeof error.message !== 'string') {
              problems.push(
                `${method} ${path}: ${answer.status} is not {code, message}: ${answer.text.slice(0, 200)}`,
              );
            }
          }
          if (/\bat \S+ \(|node_modules|\.ts:\d+/.test(answer.text)) {
            problems.push(`${method} ${path}: a stack trace: ${answer.text.slice(0, 200)}`);
          }
          return true;
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647) },
    );
    if (process.env.FUZZ_REPORT) {
      process.stderr.write(`fuzz statuses: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    const total = [...statuses.values()].reduce((sum, count) => sum + count, 0);
    expect(total).toBe(RUNS);
    // Mostly refusals (bad credentials, bad input), and some answers went through.
    const refused = [...statuses]
      .filter(([status]) => status >= 400)
      .reduce((sum, [, count]) => sum + count, 0);
    expect(refused).toBeGreaterThan(RUNS / 2);
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    const health = await h.request('GET', '/health');
    expect(health.status).toBe(200);
    const flows = await h.get('/api/v1/flows');
    expect(flows.status).toBe(200);
  });
});
