import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
} from 'node-opcua';
import type { PlcMachines } from '../plc/plc-machines.model';
import { addBenchNodes, addMachineNodes } from './opcua-address-space';

export interface OpcUaSimulatorOptions {
  /** 0 picks a free port once; restarts keep it. */
  port?: number;
  /** Where the server listens and what its endpoint URL names; default 127.0.0.1. */
  host?: string;
  machines: PlcMachines;
  /** The server's own PKI (certificate, key, trusted client certificates); kept across restarts. */
  pkiDir: string;
  /** The fastest the server samples a signal; default 50 ms. */
  minimumSamplingIntervalMs?: number;
  /**
   * Load generation (bench:plc): this many extra Double variables `ns=1;s=Bench.Value<i>` whose
   * value differs at every sample (see addBenchNodes); default 0.
   */
  benchVariables?: number;
}

export interface OpcUaSimulator {
  /** `opc.tcp://<host>:<port>/UA/PlantSimulator` */
  readonly endpointUrl: string;
  /** The server's certificate (PEM), the same across restarts. */
  readonly serverCertificateFile: string;
  /** Stops the server: sessions and subscriptions end, clients see the connection drop. */
  close(): Promise<void>;
  /** Stops and starts the server on the same port with the same certificate; sessions are lost. */
  restart(): Promise<void>;
  /** Destroys every client socket; the server keeps its sessions and subscriptions. */
  dropConnections(): void;
  /** The open secure channels and their security, as the server negotiated them. */
  channels(): OpcUaChannelInfo[];
}

export interface OpcUaChannelInfo {
  securityMode: 'None' | 'Sign' | 'SignAndEncrypt' | 'Invalid';
  /** The policy name (`Basic256Sha256`), not its URI. */
  securityPolicy: string;
}

const RESOURCE_PATH = '/UA/PlantSimulator';

/**
 * The plant's PLCs over OPC UA: the torque station and the mixer of `machines` as variables
 * `ns=1;s=TorqueStation.Torque` ... (apps/plant-simulator/README.md), with security None, Sign and
 * SignAndEncrypt under Basic256Sha256 and Aes128_Sha256_RsaOaep. Being a simulator, it trusts
 * every client certificate; clients must still trust its certificate explicitly.
 */
export async function startOpcUaSimulator(options: OpcUaSimulatorOptions): Promise<OpcUaSimulator> {
  const host = options.host ?? '127.0.0.1';
  const port =
    options.port !== undefined && options.port !== 0 ? options.port : await freePort(host);
  const settings: ServerSettings = {
    ...options,
    host,
    port,
    minimumSamplingIntervalMs: options.minimumSamplingIntervalMs ?? 50,
  };
  const start = () => startServer(settings);
  let server: OPCUAServer | undefined = await start();
  return {
    endpointUrl: `opc.tcp://${host}:${port}${RESOURCE_PATH}`,
    serverCertificateFile: join(options.pkiDir, 'own', 'certs', 'certificate.pem'),
    async close() {
      await server?.shutdown(0);
      server = undefined;
    },
    async restart() {
      await server?.shutdown(0);
      server = undefined;
      server = await start();
    },
    dropConnections() {
      for (const endpoint of server?.endpoints ?? []) endpoint.abruptlyInterruptChannels();
    },
    channels() {
      return (server?.endpoints ?? []).flatMap((endpoint) =>
        endpoint.getChannels().map((channel) => ({
          securityMode: MessageSecurityMode[
            channel.securityMode
          ] as OpcUaChannelInfo['securityMode'],
          securityPolicy: String(channel.securityPolicy).split('#').pop() ?? '',
        })),
      );
    },
  };
}

interface ServerSettings extends OpcUaSimulatorOptions {
  host: string;
  port: number;
  minimumSamplingIntervalMs: number;
}

/**
 * A server stops its certificate managers when it shuts down, so every start gets new ones over
 * the same folders: the certificate created on the first start is the one every restart serves.
 */

async function startServer(settings: ServerSettings): Promise<OPCUAServer> {
  const server = new OPCUAServer({
    port: settings.port,
    host: settings.host,
    hostname: settings.host,
    resourcePath: RESOURCE_PATH,
    serverCertificateManager: new OPCUACertificateManager({
      rootFolder: settings.pkiDir,
      automaticallyAcceptUnknownCertificate: true,
    }),
    userCertificateManager: new OPCUACertificateManager({
      rootFolder: join(settings.pkiDir, 'user'),
      automaticallyAcceptUnknownCertificate: false,
    }),
    securityModes: [
      MessageSecurityMode.None,
      MessageSecurityMode.Sign,
      MessageSecurityMode.SignAndEncrypt,
    ],
    securityPolicies: [
      SecurityPolicy.None,
      SecurityPolicy.Basic256Sha256,
      SecurityPolicy.Aes128_Sha256_RsaOaep,
    ],
    allowAnonymous: true,
    isAuditing: false,
    buildInfo: { productName: 'Threadline plant simulator', manufacturerName: 'Threadline' },
    serverInfo: { applicationName: { text: 'ThreadlinePlantSimulator', locale: 'en' } },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  if (!addressSpace) throw new Error('the OPC UA server has no address space after initialize');
  addMachineNodes(
    addressSpace.getOwnNamespace(),
    addressSpace.rootFolder.objects,
    settings.machines,
    settings.minimumSamplingIntervalMs,
  );
  addBenchNodes(
    addressSpace.getOwnNamespace(),
    addressSpace.rootFolder.objects,
    settings.benchVariables ?? 0,
    settings.minimumSamplingIntervalMs,
  );
  await server.start();
  return server;
}

/** A port free right now on `host`, so that restarts can listen on the same one. */
async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
