import { Agent } from 'node:http';
import { randomUUID } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { round, summarize } from './bench-support';

const SERVICE = '/sap/opu/odata/sap/ZTL_BATCH_STOCK_SRV';
export const BENCH_LOTS = ['LOT-1001', 'LOT-1002', 'LOT-2001'] as const;

export interface RawHttpCase {
  readonly commands: number;
  readonly concurrency: number;
  readonly warmUp: number;
}

export interface RawHttpResult {
  readonly commandsPerSecond: number;
  readonly seconds: number;
  /** Both calls of one command, lookup and POST. */
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * The ceiling: the HTTP calls connector-erp makes for one erp.inventory.hold.place, made
 * directly with axios on a keep-alive agent (the connector's client) and nothing else: one CSRF
 * fetch, then per command the check-before-create lookup and the POST. No broker, no database,
 * no mapping, no policies. `concurrency` workers share the commands.
 */
export async function measureRawErpHttp(
  simulatorUrl: string,
  run: RawHttpCase,
): Promise<RawHttpResult> {
  const agent = new Agent({ keepAlive: true });
  const http = axios.create({
    baseURL: `${simulatorUrl}${SERVICE}`,
    httpAgent: agent,
    auth: { username: 'threadline', password: 'erp-test-password' },
    headers: { Accept: 'application/json' },
    validateStatus: () => true,
  });
  try {
    const session = await fetchCsrf(http);
    const marker = `raw-${randomUUID().slice(0, 8)}`;
    await placeHolds(http, session, `${marker}-warm`, run.warmUp, run.concurrency, []);
    const latencies: number[] = [];
    const started = performance.timeOrigin + performance.now();
    await placeHolds(http, session, marker, run.commands, run.concurrency, latencies);
    const finished = performance.timeOrigin + performance.now();
    const { p50Ms, p99Ms, seconds } = summarize(run.commands, started, finished, latencies);
    return { commandsPerSecond: round(run.commands / seconds, 1), seconds, p50Ms, p99Ms };
  } finally {
    agent.destroy();
  }
}

interface CsrfSession {
  readonly 'x-csrf-token': string;
  readonly Cookie: string;
}

async function fetchCsrf(http: AxiosInstance): Promise<CsrfSession> {
  const response = await http.get('/', { headers: { 'x-csrf-token': 'Fetch' } });
  const token = response.headers['x-csrf-token'] as string | undefined;
  const cookie = String(response.headers['set-cookie']?.[0] ?? '').split(';')[0];
  if (response.status !== 200 || !token || !cookie) {
    throw new Error(`CSRF fetch answered ${response.status} without a token and cookie`);
  }
  return { 'x-csrf-token': token, Cookie: cookie };
}

async function placeHolds(
  http: AxiosInstance,
  session: CsrfSession,
  marker: string,
  count: number,
  concurrency: number,
  latencies: number[],
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const sequence = next++;
      const started = performance.now();
      await placeHold(http, session, `${marker}:${sequence}`, BENCH_LOTS[sequence % 3]);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** What the SAP adapter does for a new hold: look the reference up, then create. */
async function placeHold(
  http: AxiosInstance,
  session: CsrfSession,
  reference: string,
  lot: string,
): Promise<void> {
  const filter = encodeURIComponent(`ExternalReference eq '${reference}'`);
  const lookup = await http.get<{ d: { results: unknown[] } }>(
    `/BatchHoldSet?$filter=${filter}&$top=1`,
  );
  if (lookup.status !== 200 || lookup.data.d.results.length !== 0) {
    throw new Error(`lookup of ${reference} answered ${lookup.status}`);
  }
  const created = await http.post(
    '/BatchHoldSet',
    {
      ExternalReference: reference,
      Reason: 'nonconformance NC-BENCH',
      CreatedBy: 'qe-7',
      to_Item: { results: [{ Batch: lot }] },
    },
    { headers: { ...session } },
  );
  if (created.status !== 201) throw new Error(`POST BatchHoldSet answered ${created.status}`);
}
