import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpcUaSource } from '../../apps/connector-plc/src/opcua/opcua.source';
import type {
  OpcUaEndpoint,
  OpcUaSubscription,
  SignalSample,
} from '../../apps/connector-plc/src/plc-config.types';
import {
  startOpcUaSimulator,
  type OpcUaSimulator,
} from '../../apps/plant-simulator/src/opcua/opcua-simulator';
import { PlcMachines } from '../../apps/plant-simulator/src/plc/plc-machines.model';
import { createLogger, MetricsRegistry } from '@threadline/observability';

type LogLine = Record<string, unknown> & { level: string; msg: string };

/** A received sample and when it arrived. */
export interface ReceivedSample extends SignalSample {
  receivedAt: number;
}

/** One OPC UA source under test: its samples, its log lines and its metrics, kept in memory. */
export interface SourceUnderTest {
  source: OpcUaSource;
  samples: ReceivedSample[];
  logs: LogLine[];
  metrics: MetricsRegistry;
  pkiDir: string;
  /** Samples of one tag, optionally only those that arrived after `since`. */
  of(tag: string, since?: number): ReceivedSample[];
}

/** The plant simulator's OPC UA server and a workspace for client PKI folders. */
export class OpcUaTestBed {
  private readonly sources: OpcUaSource[] = [];
  private constructor(
    readonly machines: PlcMachines,
    readonly simulator: OpcUaSimulator,
    readonly workspace: string,
  ) {}

  static async start(): Promise<OpcUaTestBed> {
    const workspace = mkdtempSync(join(tmpdir(), 'threadline-opcua-'));
    const machines = new PlcMachines();
    const simulator = await startOpcUaSimulator({
      machines,
      pkiDir: join(workspace, 'server-pki'),
    });
    return new OpcUaTestBed(machines, simulator, workspace);
  }

  /** A fresh, empty client PKI folder (nothing trusted yet). */
  newPkiDir(): string {
    return mkdtempSync(join(this.workspace, 'client-pki-'));
  }

  endpoint(
    subscriptions: OpcUaSubscription[],
    overrides: Partial<OpcUaEndpoint> = {},
  ): OpcUaEndpoint {
    return {
      name: 'line-1-plc',
      endpoint: this.simulator.endpointUrl,
      securityMode: 'None',
      securityPolicy: 'None',
      pkiDir: overrides.pkiDir ?? this.newPkiDir(),
      subscriptions,
      ...overrides,
    };
  }

  /** Starts a source with fast reconnection (200 ms up to 1 s) and records what it does. */
  async startSource(endpoint: OpcUaEndpoint): Promise<SourceUnderTest> {
    const samples: ReceivedSample[] = [];
    const logs: LogLine[] = [];
    const logger = createLogger({
      service: 'connector-plc',
      level: 'debug',
      destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
    });
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    const source = new OpcUaSource({
      connector: 'plc-line-1',
      endpoint,
      logger,
      metrics,
      reconnect: { initialDelayMs: 200, maxDelayMs: 1_000 },
    });
    this.sources.push(source);
    await source.start((batch) => {
      const receivedAt = Date.now();
      for (const sample of batch) samples.push({ ...sample, receivedAt });
    });
    return {
      source,
      samples,
      logs,
      metrics,
      pkiDir: endpoint.pkiDir,
      of: (tag, since = 0) =>
        samples.filter((sample) => sample.tag === tag && sample.receivedAt >= since),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.sources.map((source) => source.stop()));
    await this.simulator.close();
    rmSync(this.workspace, { recursive: true, force: true });
  }
}

export function filesIn(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
