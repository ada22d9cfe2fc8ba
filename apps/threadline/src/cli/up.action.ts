import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConnectorHost } from '@threadline/connector-sdk';
import { GatewayLifecycle } from '@threadline/app-gateway';
import { DEFAULT_SQLITE_PATH, redactUrl } from '@threadline/persistence';
import { ApiKeyStore } from '@threadline/security';
import {
  startPlantSimulator,
  type PlantSimulator,
} from '../../../plant-simulator/src/plant-simulator';
import { SERVICE_NAMES } from '../services/service-names';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError } from './cli.errors';
import { shutdownSignal, startServices, type RunningServices } from './serve.action';

/**
 * What `threadline up` runs: every service but connector-plc, which reads OPC UA only after the
 * simulator's server certificate is trusted (`threadline plc trust`); `--plc` adds it.
 */
export const ALL_IN_ONE_SERVICES: readonly string[] = SERVICE_NAMES.filter(
  (name) => name !== 'connector-plc',
);

/** The connector secrets the YAML files in connectors/ interpolate. */
export const CONNECTOR_SECRETS = [
  'ERP_PASSWORD',
  'MES_TOKEN',
  'QMS_API_KEY',
  'QMS_WEBHOOK_SECRET',
  'CMMS_TOKEN',
] as const;

/** The QMS connector's webhook paths (connectors/qms.yaml); the simulator posts to each. */
const QMS_WEBHOOK_PATHS = [
  '/webhooks/qms/nonconformances',
  '/webhooks/qms/nonconformances/dispositioned',
  '/webhooks/qms/nonconformances/closed',
];

export interface UpOptions {
  metricsPort?: string;
  /** false (`--no-simulator`): use the plant at SIM_URL, start no simulator. */
  simulator?: boolean;
  /** Also the shop floor (OPC UA, Modbus) and connector-plc. */
  plc?: boolean;
}

/** Where to look, as printed once everything answers. */
export interface UpEndpoints {
  gateway: string;
  metrics: string;
  simulator: string | null;
  data: string;
  /** Where the demo's viewer API key is (with the embedded simulator only). */
  demoKeyFile?: string;
}

/**
 * `threadline up` (what `npm start` runs): every service in one process on the runtime the
 * environment selects (embedded by default), with the plant simulator wired to the connectors.
 */
export async function up(context: CliContext, options: UpOptions): Promise<ExitCode> {
  // Connectors and the gateway read their settings from the process environment.
  const env = process.env;
  const names = options.plc ? [...SERVICE_NAMES] : [...ALL_IN_ONE_SERVICES];
  const simulator =
    options.simulator === false || env.SIM_URL?.trim()
      ? undefined
      : await startEmbeddedSimulator(env, options.plc === true);
  let running: RunningServices;
  try {
    running = await startServices(context, names, {
      metricsPort: options.metricsPort,
      logToStderr: true,
      // A newcomer's terminal shows where to look, not every poll; LOG_LEVEL=info shows more.
      defaultLogLevel: 'warn',
    });
  } catch (error) {
    await simulator?.close();
    throw portInUse(error, env) ?? error;
  }
  try {
    if (simulator) await registerWebhooks(running, simulator);
    const endpoints = await endpointsOf(running, simulator, env);
    if (simulator) endpoints.demoKeyFile = await demoApiKey(running, env);
    context.io.stdout(describe(running, endpoints, env));
  } catch (error) {
    await running.stop();
    await simulator?.close();
    throw error;
  }
  await shutdownSignal();
  context.io.stdout('threadline: shutting down (draining consumers, flushing the outbox)\n');
  await running.stop();
  await simulator?.close();
  return ExitCode.ok;
}

/**
 * The simulator in this process, on SIM_PORT (default 4000), with random connector secrets for
 * this run where none are set: the simulator only checks the webhook signature, and secrets that
 * live one run are never worth writing down. They are not printed.
 */
async function startEmbeddedSimulator(
  env: NodeJS.ProcessEnv,
  plc: boolean,
): Promise<PlantSimulator> {
  for (const name of CONNECTOR_SECRETS) {
    if (!env[name]?.trim()) env[name] = randomBytes(24).toString('base64url');
  }
  const port = Number(env.SIM_PORT?.trim() || 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`SIM_PORT must be a port number 0-65535, got '${env.SIM_PORT}'`);
  }
  let simulator: PlantSimulator;
  try {
    simulator = await startPlantSimulator({
      port,
      host: '127.0.0.1',
      webhookSecret: env.QMS_WEBHOOK_SECRET,
      plc: plc
        ? {
            opcuaPort: Number(env.SIM_OPCUA_PORT ?? 4840),
            modbusPort: Number(env.SIM_MODBUS_PORT ?? 5020),
            pkiDir: env.SIM_PKI_DIR ?? './data/simulator-pki',
          }
        : undefined,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliError(
        `the plant simulator cannot listen on port ${port}: it is in use (set SIM_PORT, or ` +
          'SIM_URL to use a simulator that already runs)',
      );
    }
    throw error;
  }
  env.SIM_URL = simulator.url;
  return simulator;
}

const PORT_VARIABLES: Record<string, number> = {
  PORT: 3000,
  TRACEABILITY_PORT: 3100,
  WEBHOOK_PORT: 8081,
  METRICS_PORT: 9464,
};

/** A port already taken, named by the variable that moves it. */
export function portInUse(error: unknown, env: NodeJS.ProcessEnv): CliError | undefined {
  const failure = error as NodeJS.ErrnoException & { port?: number };
  if (failure.code !== 'EADDRINUSE') return undefined;
  const port = failure.port ?? Number(/:(\d+)$/.exec(failure.message)?.[1]);
  const variable = Object.entries(PORT_VARIABLES).find(
    ([name, fallback]) => Number(env[name]?.trim() || fallback) === port,
  )?.[0];
  return new CliError(
    `port ${port} is in use` +
      (variable ? ` (${variable}): set ${variable} to a free port, or 0 for any` : ''),
  );
}

/** Where `up` keeps the demo's API key and `demo` looks for it: beside the SQLite file. */
export function demoKeyFile(env: NodeJS.ProcessEnv): string {
  return resolve(
    dirname(env.THREADLINE_SQLITE_PATH?.trim() || DEFAULT_SQLITE_PATH),
    'demo-api-key',
  );
}

/**
 * A viewer API key for `threadline demo` (the gateway asks every caller for a credential), kept
 * in a file only this user can read, never printed; reused while it still holds.
 */
async function demoApiKey(running: RunningServices, env: NodeJS.ProcessEnv): Promise<string> {
  const file = demoKeyFile(env);
  const store = new ApiKeyStore(running.runtime.dataSource);
  try {
    await store.verify(readFileSync(file, 'utf8').trim());
    return file;
  } catch {
    // No file yet, or a key of another database: make one.
  }
  const { key } = await store.create({
    name: 'threadline-demo',
    role: 'viewer',
    createdBy: 'threadline up',
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return file;
}

/** The simulator's QMS posts its webhooks to the QMS connector's ingress. */
async function registerWebhooks(running: RunningServices, simulator: PlantSimulator) {
  const qms = running.apps.get('connector-qms');
  const ingress = qms?.get(ConnectorHost).webhookUrl;
  if (!ingress) return;
  const local = ingress.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//127.0.0.1:');
  for (const path of QMS_WEBHOOK_PATHS) {
    const response = await fetch(`${simulator.url}/_sim/qms/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${local}${path}` }),
    });
    if (!response.ok) {
      throw new Error(`registering the QMS webhook ${path} answered ${response.status}`);
    }
  }
}

async function endpointsOf(
  running: RunningServices,
  simulator: PlantSimulator | undefined,
  env: NodeJS.ProcessEnv,
): Promise<UpEndpoints> {
  const gateway = running.apps.get('gateway');
  const gatewayPort = gateway ? new URL(await gateway.get(GatewayLifecycle).url()).port : '';
  return {
    gateway: gateway ? `http://127.0.0.1:${gatewayPort}` : '(gateway not running)',
    metrics: `http://127.0.0.1:${running.metricsPort}/metrics`,
    simulator: simulator?.url ?? env.SIM_URL?.trim() ?? null,
    data: env.DATABASE_URL?.trim()
      ? redactUrl(env.DATABASE_URL.trim())
      : resolve(dirname(env.THREADLINE_SQLITE_PATH?.trim() || DEFAULT_SQLITE_PATH)),
  };
}

function describe(running: RunningServices, at: UpEndpoints, env: NodeJS.ProcessEnv): string {
  const broker =
    running.mode === 'embedded'
      ? 'in-memory broker, SQLite'
      : `RabbitMQ ${redactUrl(env.AMQP_URL!.trim())}, ${env.DATABASE_URL?.trim() ? 'PostgreSQL' : 'SQLite'}`;
  const lines = [
    '',
    `Threadline is running (${running.mode}: ${broker})`,
    `  services    ${running.names.join(', ')}`,
    `  gateway     ${at.gateway}   (/health, /api/v1/flows, /api/v1/events, /api/v1/lots/{lotId})`,
    `  API docs    ${at.gateway}/docs`,
    `  metrics     ${at.gateway}/metrics and ${at.metrics}`,
    `  simulator   ${at.simulator ?? '(none: set SIM_URL)'}${at.simulator ? '   (/_sim/state)' : ''}`,
    `  data        ${at.data}`,
    ...(at.demoKeyFile
      ? [`  demo key    ${at.demoKeyFile}   (a viewer API key for threadline demo)`]
      : []),
    '',
    `Try the scenario: npx threadline demo --gateway ${at.gateway}` +
      (at.simulator ? ` --simulator ${at.simulator}` : ''),
    'Stop with Ctrl+C.',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
