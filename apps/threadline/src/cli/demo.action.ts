import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TraceResult } from '@threadline/traceability';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError } from './cli.errors';
import { table } from './text-table';
import { describeTrace } from './trace.actions';
import { demoKeyFile } from './up.action';

export interface DemoOptions {
  gateway?: string;
  simulator?: string;
  stepTimeout?: string;
  apiKey?: string;
}

/** The asset whose torque check fails and the line it runs on (the simulator's seeded plant). */
const ASSET = 'PRESS-01';
const LINE = 'LINE-1';
const POLL_MS = 500;

interface FlowStep {
  name: string;
  state: string;
  at: string;
  detail: Record<string, unknown> | null;
}
interface Flow {
  id: string;
  type: string;
  state: string;
  subject: string;
  correlationId: string;
  currentStep: string | null;
  steps?: FlowStep[];
}
interface EventView {
  type: string;
  time: string;
  subject: string;
}
interface SimState {
  erp: {
    batchStocks: Record<string, { StockStatus: string }>;
    holds: Record<string, { HoldId: string; HoldStatus: string; Batches: string[] }>;
  };
  mes: { lines: Record<string, { state: string; stopReason: string | null }> };
  qms: {
    nonconformances: Record<
      string,
      {
        nc_number: string;
        severity_level: string;
        affected_lots: string[];
        reported_by: { user_id: string } | null;
      }
    >;
  };
  cmms: {
    workOrders: Record<
      string,
      {
        workOrderNumber: string;
        assetNumber: string;
        workType: string;
        priority: number;
        status: string;
        description: string;
      }
    >;
  };
}

/** A step that did not happen in time: exit 1 with what was awaited. */
class StepTimeout extends CliError {
  constructor(message: string) {
    super(message, ExitCode.problemsFound);
  }
}

/**
 * `threadline demo`: the NC scenario of issue #7, driven through the simulator's `/_sim` API
 * against a running `threadline up`, observed through the gateway and the simulator's state.
 */
export async function demo(context: CliContext, options: DemoOptions): Promise<ExitCode> {
  const gateway = trimSlash(options.gateway ?? 'http://127.0.0.1:3000');
  const timeoutMs = stepTimeout(options.stepTimeout);
  const started = Date.now();
  const say = (text: string) =>
    context.io.stdout(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${text}\n`);
  const http = new DemoHttp(apiKeyOf(options, context.io.env));
  http.gatewayPrefix = `${gateway}/`;
  await http.reachable(`${gateway}/health`, 'the gateway (is `npm start` running? --gateway)');
  const simulator = trimSlash(options.simulator ?? (await discoverSimulator(http, gateway)));
  await http.reachable(`${simulator}/_sim/state`, 'the simulator (--simulator)');
  const sim = (path: string, body: unknown) => http.post(`${simulator}/_sim${path}`, body);
  const state = () => http.get<SimState>(`${simulator}/_sim/state`);
  const waitFor = <T>(what: string, check: () => Promise<T | undefined>, hint = '') =>
    poll(what, check, timeoutMs, hint);

  const run = randomBytes(3).toString('hex').toUpperCase();
  const raw = `RM-${run}`;
  const assembly = `ASSY-${run}`;
  const finished = `FG-${run}`;
  const [assemblyOrder, finalOrder] = [`DEMO-${run}-A`, `DEMO-${run}-F`];
  context.io.stdout(
    `Threadline demo ${run}: gateway ${gateway}, simulator ${simulator}\n` +
      `  lots ${raw} (bolts, received) -> ${assembly} (assembly, ${ASSET}) -> ${finished} (finished)\n\n`,
  );

  // 1. Receipt.
  await sim('/erp/goods-receipts', { material: 'MAT-100', batch: raw, quantity: 500 });
  say(`ERP: goods receipt of ${raw} (500 EA MAT-100) posted`);
  await waitFor(`lot ${raw} known to Threadline`, () =>
    http.found(`${gateway}/api/v1/lots/${raw}`),
  );
  say(`Threadline: ${raw} received (material.lot.received, traceability has the lot)`);

  // 2. Production: the assembly order consumes the bolts, the final order the assembly.
  await sim('/erp/production-orders', {
    order: assemblyOrder,
    material: 'MAT-500',
    quantity: 200,
    line: LINE,
  });
  await sim('/erp/production-orders', {
    order: finalOrder,
    material: 'MAT-900',
    quantity: 200,
    line: LINE,
  });
  say(`ERP: production orders ${assemblyOrder} and ${finalOrder} released on ${LINE}`);
  await sim('/mes/consumptions', {
    orderId: assemblyOrder,
    consumedLotId: raw,
    materialId: 'MAT-100',
    quantity: 200,
  });
  await sim('/mes/output', {
    orderId: assemblyOrder,
    outputLotId: assembly,
    materialId: 'MAT-500',
    quantity: 200,
  });
  await sim('/mes/consumptions', {
    orderId: finalOrder,
    consumedLotId: assembly,
    materialId: 'MAT-500',
    quantity: 200,
  });
  await sim('/mes/output', {
    orderId: finalOrder,
    outputLotId: finished,
    materialId: 'MAT-900',
    quantity: 200,
  });
  say(`MES: ${raw} consumed into ${assembly}, ${assembly} consumed into ${finished}`);
  await waitFor(`the genealogy ${raw} -> ${assembly} -> ${finished}`, async () => {
    const trace = await http.getIfFound<TraceResult>(
      `${gateway}/api/v1/lots/${raw}/trace?direction=forward`,
    );
    return trace?.nodes.some((node) => node.lotId === finished) ? trace : undefined;
  });
  say(`Threadline: genealogy recorded (${raw} -> ${assembly} -> ${finished})`);

  // 3. The in-process torque failure.
  const inspection = await sim('/qms/inspections', {
    material_lot: assembly,
    origin: 'IN_PROCESS',
    result: 'FAIL',
    order_ref: assemblyOrder,
    equipment_ref: ASSET,
    measurements: [
      {
        characteristic: 'bolt-torque',
        measured_value: 31.5,
        unit: 'N.m',
        lower_limit: 38,
        upper_limit: 46,
      },
    ],
  });
  const inspectionLot = String(
    (inspection as { inspection_lot_number: string }).inspection_lot_number,
  );
  say(
    `QMS: in-process inspection ${inspectionLot} of ${assembly} at ${ASSET} FAILED (torque 31.5 N.m < 38)`,
  );
  const failure = await waitFor(`the in-process-failure flow for ${inspectionLot}`, () =>
    firstFlow(http, gateway, 'in-process-failure', inspectionLot),
  );
  say(`Orchestrator: flow in-process-failure ${failure.id} started, asks QMS for a nonconformance`);

  // 4. The NC and its containment.
  const nc = await waitFor(`a nonconformance in the QMS for ${assembly}`, async () =>
    Object.values((await state()).qms.nonconformances).find((candidate) =>
      candidate.affected_lots.includes(assembly),
    ),
  );
  say(`QMS: nonconformance ${nc.nc_number} raised, severity ${nc.severity_level}`);
  const containment = await waitFor(`the ncr-containment flow for ${nc.nc_number}`, () =>
    firstFlow(http, gateway, 'ncr-containment', nc.nc_number),
  );
  say(`Orchestrator: flow ncr-containment ${containment.id} started`);
  const held = await waitFor(
    `ERP holds on ${assembly} and its descendant ${finished}`,
    async () => {
      const erp = (await state()).erp;
      const blocked = [assembly, finished].every(
        (lot) => erp.batchStocks[lot]?.StockStatus === 'BLOCKED',
      );
      return blocked
        ? Object.values(erp.holds).filter(
            (hold) =>
              hold.HoldStatus === 'ACTIVE' &&
              hold.Batches.some((batch) => batch === assembly || batch === finished),
          )
        : undefined;
    },
  );
  say(
    `ERP: ${assembly} and descendant ${finished} BLOCKED (holds ${held.map((hold) => hold.HoldId).join(', ')})`,
  );
  const configHint =
    `; the NC is ${nc.severity_level}: an emergency work order and a line stop need a CRITICAL ` +
    `NC (inProcessFailure.severity: critical) and ${ASSET}: ${LINE} under assetLines for the ` +
    'plant in config/orchestrator.yaml';
  const workOrder = await waitFor(
    `an emergency work order for ${ASSET} in the CMMS`,
    async () =>
      Object.values((await state()).cmms.workOrders).find(
        (order) =>
          order.assetNumber === ASSET && order.workType === 'EM' && order.status !== 'COMP',
      ),
    nc.severity_level === 'CRITICAL' ? '' : configHint,
  );
  say(
    `CMMS: emergency work order ${workOrder.workOrderNumber} for ${ASSET} (priority ${workOrder.priority})`,
  );
  await waitFor(
    `MES line ${LINE} stopped`,
    async () => ((await state()).mes.lines[LINE]?.state === 'STOPPED' ? true : undefined),
    nc.severity_level === 'CRITICAL' ? '' : configHint,
  );
  say(`MES: ${LINE} STOPPED`);

  // 5. Maintenance, then the disposition by someone other than the reporter.
  await sim(`/cmms/workorders/${workOrder.workOrderNumber}/complete`, {
    failureCause: 'worn torque tool',
    actualLaborHours: 1.5,
  });
  say(`CMMS: work order ${workOrder.workOrderNumber} completed (worn torque tool replaced)`);
  await waitFor(`the containment flow past its maintenance step`, async () => {
    const flow = await http.get<Flow>(`${gateway}/api/v1/flows/${containment.id}`);
    return flow.currentStep === 'disposition' || flow.state !== 'running' ? flow : undefined;
  });
  say('Orchestrator: maintenance done, waiting for the disposition');
  const approver = { user_id: 'demo.quality-lead', display_name: 'Quality lead (demo)' };
  await sim(`/qms/nonconformances/${nc.nc_number}/disposition`, {
    decision: 'RELEASE',
    approved_by: approver,
    reason: 'torque tool replaced; the lots re-tested within tolerance',
  });
  say(
    `QMS: ${nc.nc_number} dispositioned RELEASE by ${approver.user_id} ` +
      `(reported by ${nc.reported_by?.user_id ?? 'the orchestrator'})`,
  );

  // 6. Release.
  await waitFor(`ERP releasing ${assembly} and ${finished}`, async () => {
    const erp = (await state()).erp;
    return [assembly, finished].every((lot) => erp.batchStocks[lot]?.StockStatus === 'UNRESTRICTED')
      ? true
      : undefined;
  });
  say(`ERP: ${assembly} and ${finished} released (UNRESTRICTED)`);
  await waitFor(`MES line ${LINE} resumed`, async () =>
    (await state()).mes.lines[LINE]?.state === 'RUNNING' ? true : undefined,
  );
  say(`MES: ${LINE} RUNNING again`);
  const done = await waitFor(`the containment flow completed`, async () => {
    const flow = await http.get<Flow>(`${gateway}/api/v1/flows/${containment.id}`);
    if (flow.state === 'failed') throw new StepTimeout(`flow ${flow.id} failed`);
    return flow.state === 'completed' ? flow : undefined;
  });
  say(`Orchestrator: flow ${done.id} completed`);
  const trace = await waitFor(
    `traceability showing ${assembly} and ${finished} released`,
    async () => {
      const backward = await http.get<TraceResult>(
        `${gateway}/api/v1/lots/${finished}/trace?direction=backward`,
      );
      const released = backward.nodes
        .filter((node) => node.lotId === assembly || node.lotId === finished)
        .every((node) => node.status !== 'blocked');
      return released ? backward : undefined;
    },
  );
  say(`Threadline: ${assembly} and ${finished} no longer blocked in the genealogy`);

  // The record.
  const failureFlow = await http.get<Flow>(`${gateway}/api/v1/flows/${failure.id}`);
  context.io.stdout(`\nFlow timeline\n\n${timeline([failureFlow, done])}\n`);
  const events = await http.get<{ items: EventView[] }>(
    `${gateway}/api/v1/events?correlationId=${encodeURIComponent(done.correlationId)}&limit=200`,
  );
  context.io.stdout(
    `Events of ${nc.nc_number} (correlationid ${done.correlationId})\n\n` +
      `${table(
        ['TIME', 'TYPE', 'SUBJECT'],
        events.items.map((event) => [event.time, event.type, event.subject]),
      )}\n`,
  );
  context.io.stdout(`Trace of ${finished}\n\n${describeTrace(trace)}\n`);
  context.io.stdout(`Demo ${run} done in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  return ExitCode.ok;
}

function timeline(flows: Flow[]): string {
  const rows = flows.flatMap((flow) =>
    (flow.steps ?? []).map((step) => [
      step.at,
      flow.type,
      step.name,
      step.state,
      step.detail ? summarize(step.detail) : '',
    ]),
  );
  rows.sort((a, b) => a[0].localeCompare(b[0]));
  return table(['AT', 'FLOW', 'STEP', 'STATE', 'DETAIL'], rows);
}

/** The step's detail without ids: what was sent, what answered, why it waited or escalated. */
function summarize(detail: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof detail.trigger === 'string') parts.push(`on ${detail.trigger}`);
  if (Array.isArray(detail.commands)) {
    const types = detail.commands.map((sent) => (sent as { type?: unknown }).type).map(String);
    parts.push(`sent ${[...new Set(types)].join(', ')}`);
  }
  if (typeof detail.event === 'string') {
    parts.push(
      `${detail.event}${typeof detail.subject === 'string' ? ` (${detail.subject})` : ''}`,
    );
  }
  for (const [key, value] of Object.entries(detail)) {
    if (['trigger', 'commands', 'event', 'subject', 'attempt'].includes(key)) continue;
    if (/id$/i.test(key)) continue;
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  const text = parts.join('; ');
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

async function firstFlow(
  http: DemoHttp,
  gateway: string,
  type: string,
  subject: string,
): Promise<Flow | undefined> {
  const page = await http.get<{ items: Flow[] }>(
    `${gateway}/api/v1/flows?type=${type}&subject=${encodeURIComponent(subject)}`,
  );
  return page.items[0];
}

/** The simulator the connectors point at: the QMS connector's target without its API path. */
async function discoverSimulator(http: DemoHttp, gateway: string): Promise<string> {
  const connectors = await http.get<{
    items: { system: string; targets: { kind: string; url: string }[] }[];
  }>(`${gateway}/api/v1/connectors`);
  const qms = connectors.items.find((connector) => connector.system === 'qms');
  const target = qms?.targets.find((candidate) => candidate.kind === 'http')?.url;
  const match = target ? /^(https?:\/\/[^/]+)\/qms\/api\/v1\/?$/.exec(target) : null;
  if (!match) {
    throw new CliError(
      'cannot tell where the simulator is from the gateway; give it with --simulator <url>',
    );
  }
  return match[1];
}

async function poll<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  hint: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      throw new StepTimeout(
        `demo step did not happen within ${timeoutMs / 1000} s: ${what}${hint}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function stepTimeout(text: string | undefined): number {
  if (text === undefined) return 120_000;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new CliError(`--step-timeout must be whole seconds from 1 to 3600, got '${text}'`);
  }
  return seconds * 1000;
}

/** --api-key, THREADLINE_API_KEY, or the key `threadline up` left beside its data. */
function apiKeyOf(options: DemoOptions, env: Readonly<Record<string, string | undefined>>) {
  const given = options.apiKey?.trim() || env.THREADLINE_API_KEY?.trim();
  if (given) return given;
  try {
    return readFileSync(demoKeyFile(env), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** JSON over fetch; an answer that is not 2xx is an error naming the URL and status. */
class DemoHttp {
  constructor(private readonly apiKey: string | undefined) {}

  gatewayPrefix: string | undefined;

  /** The key goes to the gateway only, never to the simulator. */
  private headers(url: string): Record<string, string> {
    const toGateway = this.gatewayPrefix !== undefined && url.startsWith(this.gatewayPrefix);
    return this.apiKey && toGateway ? { 'X-API-Key': this.apiKey } : {};
  }

  async reachable(url: string, what: string): Promise<void> {
    try {
      await fetch(url, { signal: AbortSignal.timeout(5_000) });
    } catch {
      throw new CliError(`cannot reach ${what} at ${url}`);
    }
  }

  async get<T>(url: string): Promise<T> {
    const response = await fetch(url, {
      headers: this.headers(url),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new CliError(`GET ${url} answered ${response.status}${hint(response)}`);
    return (await response.json()) as T;
  }

  async getIfFound<T>(url: string): Promise<T | undefined> {
    const response = await fetch(url, {
      headers: this.headers(url),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new CliError(`GET ${url} answered ${response.status}${hint(response)}`);
    return (await response.json()) as T;
  }

  async found(url: string): Promise<true | undefined> {
    return (await this.getIfFound(url)) === undefined ? undefined : true;
  }

  async post(url: string, body: unknown): Promise<unknown> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new CliError(`POST ${url} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}

function hint(response: Response): string {
  return response.status === 401 || response.status === 403
    ? ' (the gateway wants a viewer API key: --api-key, THREADLINE_API_KEY, or the demo key ' +
        '`threadline up` writes beside its data)'
    : '';
}
