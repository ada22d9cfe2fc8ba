import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import type { Logger } from '@threadline/observability';
import {
  AttributeIds,
  ClientMonitoredItemGroup,
  ClientSubscription,
  DataChangeFilter,
  DataChangeTrigger,
  DeadbandType,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  setErrorLogger,
  setWarningLogger,
  TimestampsToReturn,
  type ClientSession,
  type DataValue,
  type MonitoringParametersOptions,
} from 'node-opcua-client';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import type { OpcUaEndpoint, OpcUaItem, OpcUaSubscription } from '../plc-config.types';
import { OpcUaConnectionError, classifyConnectError } from './opcua.errors';
import { qualityOf, type OpcUaDataChange } from './opcua-sample.mapper';
import { groupByParameters, subscriptionTiming } from './opcua-subscription.plan';

/**
 * The only file of the connector that imports node-opcua (its client and certificate manager
 * packages, not the umbrella package: the server and address space are 6 MB of heap, ADR 0011): the PKI, one-off certificate fetches,
 * and a client connection with its session and subscriptions.
 */

const APPLICATION_NAME = 'Threadline connector-plc';
const CLIENT_CERTIFICATE = join('own', 'certs', 'client_certificate.pem');

/**
 * node-opcua prints its warnings and errors (a rejected certificate in base64, each reconnection
 * attempt) with console.log; they go to `logger` at debug level instead, since the source logs
 * each state change itself. Process-wide: the last logger given wins.
 */
export function routeLibraryLogs(logger: Logger): void {
  const forward = (context?: unknown, ...args: unknown[]) =>
    logger.debug({ library: 'node-opcua', context }, format(...args));
  setWarningLogger(forward);
  setErrorLogger(forward);
}

/** The application URI in the client certificate; sent as the client's own, so they match. */
export function clientApplicationUri(): string {
  return `urn:${hostname()}:threadline:connector-plc`;
}

export interface ClientPki {
  manager: OPCUACertificateManager;
  certificateFile: string;
  privateKeyFile: string;
  /** Whether this call created the client certificate (the first start on this PKI folder). */
  created: boolean;
}

/**
 * Opens the PKI folder (`own/`, `trusted/`, `rejected/`, `issuers/`), creating it and a
 * self-signed client certificate on first use. Unknown server certificates are never accepted.
 * The folders are read afresh by each manager (no file watchers): a new connection attempt sees a
 * certificate trusted since the last one.
 */
export async function openClientPki(pkiDir: string): Promise<ClientPki> {
  const manager = new OPCUACertificateManager({
    rootFolder: pkiDir,
    automaticallyAcceptUnknownCertificate: false,
    disableFileWatchers: true,
  });
  await manager.initialize();
  const certificateFile = join(manager.rootDir, CLIENT_CERTIFICATE);
  const created = !existsSync(certificateFile);
  if (created) {
    await manager.createSelfSignedCertificate({
      applicationUri: clientApplicationUri(),
      dns: [hostname()],
      outputFile: certificateFile,
      subject: `/CN=${APPLICATION_NAME}/O=Threadline`,
      startDate: new Date(),
      validity: 365 * 5,
    });
  }
  return { manager, certificateFile, privateKeyFile: manager.privateKey, created };
}

/** Moves a certificate (DER) into `<pkiDir>/trusted/certs`, out of `rejected/` if it was there. */
export async function trustCertificate(pkiDir: string, certificate: Buffer): Promise<void> {
  const pki = await openClientPki(pkiDir);
  try {
    await pki.manager.trustCertificate(certificate);
  } finally {
    await pki.manager.dispose();
  }
}

/**
 * The certificate (DER) the server presents in GetEndpoints, read over an unsecured channel,
 * which is how an operator decides whether to trust it.
 */
export async function fetchServerCertificate(
  endpointUrl: string,
  pkiDir: string,
  timeoutMs: number,
): Promise<Buffer> {
  const pki = await openClientPki(pkiDir);
  const client = OPCUAClient.create({
    applicationName: APPLICATION_NAME,
    applicationUri: clientApplicationUri(),
    clientCertificateManager: pki.manager,
    certificateFile: pki.certificateFile,
    privateKeyFile: pki.privateKeyFile,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect(endpointUrl), timeout]);
    const endpoints = await Promise.race([client.getEndpoints(), timeout]);
    const certificate = endpoints.find(
      (endpoint) => endpoint.serverCertificate?.length,
    )?.serverCertificate;
    if (!certificate) {
      throw new OpcUaConnectionError(
        'endpoint-not-found',
        endpointUrl,
        `${endpointUrl} lists no endpoint with a server certificate`,
      );
    }
    return certificate;
  } catch (error) {
    throw classifyConnectError(endpointUrl, error);
  } finally {
    clearTimeout(timer);
    await client.disconnect();
    await pki.manager.dispose();
  }
}

export interface ConnectionEvents {
  /** The channel broke; node-opcua reconnects and restores the session by itself. */
  connectionLost(): void;
  /** The session (and with it every subscription and monitored item) is back. */
  sessionRestored(): void;
  /** A subscription ended on its own (the server dropped it); its items deliver no more. */
  subscriptionTerminated(name: string, reason: string): void;
}

export interface ReconnectPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * One open connection: a secure channel, a session kept alive, and the subscriptions added to
 * it. After a connection loss or a server restart node-opcua reconnects with backoff (without
 * limit), reactivates or re-creates the session, and transfers or re-creates every subscription
 * with its monitored items (ConnectionEvents.sessionRestored).
 */
export class OpcUaConnection {
  private readonly subscriptions: ClientSubscription[] = [];

  private constructor(
    private readonly client: OPCUAClient,
    private readonly session: ClientSession,
    private readonly pki: ClientPki,
  ) {}

  static async open(
    endpoint: OpcUaEndpoint,
    reconnect: ReconnectPolicy,
    events: ConnectionEvents,
    signal: AbortSignal,
  ): Promise<OpcUaConnection> {
    const pki = await openClientPki(endpoint.pkiDir);
    const client = createClient(endpoint, pki, reconnect);
    // Until connected, node-opcua retries an unreachable server without end: stop() aborts it.
    const abort = () => void client.disconnect();
    signal.addEventListener('abort', abort, { once: true });
    try {
      await client.connect(endpoint.endpoint);
      if (signal.aborted) throw new Error('connection attempt aborted');
      const session = await client.createSession();
      client.on('connection_lost', () => events.connectionLost());
      session.on('session_restored', () => events.sessionRestored());
      return new OpcUaConnection(client, session, pki);
    } catch (error) {
      await client.disconnect().catch(() => undefined);
      await pki.manager.dispose();
      throw classifyConnectError(endpoint.endpoint, error);
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  /**
   * Creates the subscription and its monitored items, in one group per distinct sampling
   * interval, queue size and deadband. Resolves to the items the server refused, with why.
   */
  async subscribe(
    subscription: OpcUaSubscription,
    onChange: (item: OpcUaItem, change: OpcUaDataChange) => void,
    events: ConnectionEvents,
  ): Promise<Array<{ item: OpcUaItem; status: string }>> {
    const created = ClientSubscription.create(this.session, {
      ...subscriptionTiming(subscription),
      publishingEnabled: true,
      priority: 1,
    });
    this.subscriptions.push(created);
    created.on('terminated', () => events.subscriptionTerminated(subscription.name, 'terminated'));
    created.on('internal_error', (error: Error) =>
      events.subscriptionTerminated(subscription.name, error.message),
    );
    const refused: Array<{ item: OpcUaItem; status: string }> = [];
    for (const items of groupByParameters(subscription.items)) {
      const group = ClientMonitoredItemGroup.create(
        created,
        items.map((item) => ({ nodeId: item.nodeId, attributeId: AttributeIds.Value })),
        monitoringParameters(items[0]),
        TimestampsToReturn.Both,
      );
      group.on('changed', (_monitoredItem, dataValue: DataValue, index: number) =>
        onChange(items[index], toDataChange(dataValue)),
      );
      await new Promise<void>((resolve, reject) => {
        group.once('initialized', resolve);
        group.once('err', (message: string) => reject(new Error(message)));
      });
      group.monitoredItems.forEach((monitored, index) => {
        if (!monitored.statusCode.isGood()) {
          refused.push({ item: items[index], status: monitored.statusCode.toString() });
        }
      });
    }
    return refused;
  }

  /** Ends the subscriptions and the session, then the channel; never throws. */
  async close(): Promise<void> {
    for (const subscription of this.subscriptions) {
      await subscription.terminate().catch(() => undefined);
    }
    await this.session.close().catch(() => undefined);
    await this.client.disconnect().catch(() => undefined);
    await this.pki.manager.dispose().catch(() => undefined);
  }
}

function createClient(
  endpoint: OpcUaEndpoint,
  pki: ClientPki,
  reconnect: ReconnectPolicy,
): OPCUAClient {
  return OPCUAClient.create({
    applicationName: APPLICATION_NAME,
    applicationUri: clientApplicationUri(),
    clientName: endpoint.name,
    securityMode: MessageSecurityMode[endpoint.securityMode],
    securityPolicy: SecurityPolicy[endpoint.securityPolicy],
    clientCertificateManager: pki.manager,
    certificateFile: pki.certificateFile,
    privateKeyFile: pki.privateKeyFile,
    endpointMustExist: false,
    keepSessionAlive: true,
    requestedSessionTimeout: 60_000,
    connectionStrategy: {
      maxRetry: -1,
      initialDelay: reconnect.initialDelayMs,
      maxDelay: reconnect.maxDelayMs,
      randomisationFactor: 0.1,
    },
  });
}

function monitoringParameters(item: OpcUaItem): MonitoringParametersOptions {
  const parameters: MonitoringParametersOptions = {
    samplingInterval: item.samplingIntervalMs,
    queueSize: item.queueSize,
    discardOldest: true,
  };
  if (item.deadband === undefined) return parameters;
  const deadbandType =
    item.deadband.type === 'absolute' ? DeadbandType.Absolute : DeadbandType.Percent;
  return {
    ...parameters,
    filter: new DataChangeFilter({
      trigger: DataChangeTrigger.StatusValue,
      deadbandType,
      deadbandValue: item.deadband.value,
    }),
  };
}

function toDataChange(dataValue: DataValue): OpcUaDataChange {
  return {
    value: dataValue.value?.value as unknown,
    sourceTimestamp: dataValue.sourceTimestamp ?? null,
    serverTimestamp: dataValue.serverTimestamp ?? null,
    quality: qualityOf(dataValue.statusCode.value),
  };
}
