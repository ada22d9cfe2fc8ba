import { TARGET_STATE_VALUE, type Logger, type MetricsRegistry } from '@threadline/observability';
import type { OpcUaEndpoint, OpcUaItem, SampleSink, SignalSource } from '../plc-config.types';
import {
  OpcUaConnection,
  routeLibraryLogs,
  type ConnectionEvents,
  type ReconnectPolicy,
} from './opcua.client';
import { classifyConnectError, OpcUaConnectionError } from './opcua.errors';
import { ensureClientCertificate, latestRejectedCertificate } from './opcua-pki';
import { toSignalSample, type OpcUaDataChange } from './opcua-sample.mapper';

export interface OpcUaSourceOptions {
  connector: string;
  endpoint: OpcUaEndpoint;
  logger: Logger;
  metrics?: MetricsRegistry;
  /** Backoff between connection attempts and node-opcua's reconnection; default 1 s up to 30 s. */
  reconnect?: Partial<ReconnectPolicy>;
}

type SourceState = ReturnType<SignalSource['state']>;

/**
 * One OPC UA endpoint as a signal source: one session, one subscription per configured
 * subscription, every data change a sample. Connection attempts repeat with backoff until one
 * succeeds (an untrusted server certificate included: it may be trusted meanwhile); once
 * connected, node-opcua restores the session and the subscriptions after a connection loss or a
 * server restart.
 */
export class OpcUaSource implements SignalSource {
  readonly name: string;
  private readonly logger: Logger;
  private readonly reconnect: ReconnectPolicy;
  private readonly events: ConnectionEvents;
  private current: SourceState = 'down';
  private running = false;
  private sink: SampleSink | undefined;
  private connection: OpcUaConnection | undefined;
  private attempts: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Items the server refused and subscriptions it ended: the source is only partly reading. */
  private readonly failing = new Set<string>();
  private lostAt: number | undefined;

  constructor(private readonly options: OpcUaSourceOptions) {
    this.name = options.endpoint.name;
    this.logger = options.logger.child({ source: this.name, endpoint: options.endpoint.endpoint });
    routeLibraryLogs(options.logger);
    this.reconnect = {
      initialDelayMs: options.reconnect?.initialDelayMs ?? 1_000,
      maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
    };
    this.events = {
      connectionLost: () => this.onConnectionLost(),
      sessionRestored: () => this.onSessionRestored(),
      subscriptionTerminated: (name, reason) => this.onSubscriptionTerminated(name, reason),
    };
    this.publishState();
  }

  /** Creates the client certificate on first start, then connects in the background. */
  async start(sink: SampleSink): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.sink = sink;
    const { pkiDir } = this.options.endpoint;
    const certificate = await ensureClientCertificate(pkiDir);
    if (certificate.created) {
      this.logger.info(
        { certificateFile: certificate.certificateFile },
        'OPC UA client certificate created',
      );
    }
    this.attempts = new AbortController();
    this.loop = this.connectUntilConnected(this.attempts.signal);
  }

  /** Stops connecting, ends the subscriptions and the session; samples stop. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.attempts?.abort();
    this.wake?.();
    await this.loop;
    await this.connection?.close();
    this.connection = undefined;
    this.setState('down');
  }

  state(): SourceState {
    return this.current;
  }

  private async connectUntilConnected(signal: AbortSignal): Promise<void> {
    let lastFailure: string | undefined;
    for (let attempt = 0; this.running; attempt += 1) {
      try {
        await this.connect(signal);
        return;
      } catch (error) {
        if (!this.running) return;
        const failure = classifyConnectError(this.options.endpoint.endpoint, error);
        if (failure.message !== lastFailure) this.reportFailure(failure);
        lastFailure = failure.message;
        this.setState('down');
        await this.sleep(this.backoff(attempt));
      }
    }
  }

  private async connect(signal: AbortSignal): Promise<void> {
    const connection = await OpcUaConnection.open(
      this.options.endpoint,
      this.reconnect,
      this.events,
      signal,
    );
    try {
      await this.subscribeAll(connection);
    } catch (error) {
      await connection.close();
      const reason = error instanceof Error ? error.message : String(error);
      throw new OpcUaConnectionError(
        'session-failed',
        this.options.endpoint.endpoint,
        `subscriptions on ${this.options.endpoint.endpoint} could not be created: ${reason}`,
        error,
      );
    }
    if (!this.running) {
      await connection.close();
      return;
    }
    this.connection = connection;
    this.logger.info(
      { subscriptions: this.options.endpoint.subscriptions.length },
      'OPC UA source connected',
    );
    this.setState(this.failing.size > 0 ? 'degraded' : 'up');
  }

  /** Every configured subscription; items the server refuses are logged and make it degraded. */
  private async subscribeAll(connection: OpcUaConnection): Promise<void> {
    this.failing.clear();
    for (const subscription of this.options.endpoint.subscriptions) {
      const refused = await connection.subscribe(
        subscription,
        (item, change) => this.deliver(item, change),
        this.events,
      );
      for (const { item, status } of refused) {
        this.failing.add(`item ${item.nodeId}`);
        this.logger.error(
          { subscription: subscription.name, nodeId: item.nodeId, status },
          'OPC UA server refused a monitored item',
        );
      }
    }
  }

  private deliver(item: OpcUaItem, change: OpcUaDataChange): void {
    if (!this.running || this.sink === undefined) return;
    const sample = toSignalSample(item, change, new Date());
    if (sample === undefined) return;
    this.options.metrics?.plcSamples.inc(this.labels());
    this.sink([sample]);
  }

  private onConnectionLost(): void {
    if (!this.running) return;
    this.lostAt = Date.now();
    this.logger.warn('OPC UA connection lost; reconnecting');
    this.setState('degraded');
  }

  private onSessionRestored(): void {
    if (!this.running) return;
    const downMs = this.lostAt === undefined ? undefined : Date.now() - this.lostAt;
    this.lostAt = undefined;
    this.logger.info({ downMs }, 'OPC UA session and subscriptions restored');
    this.setState(this.failing.size > 0 ? 'degraded' : 'up');
  }

  private onSubscriptionTerminated(name: string, reason: string): void {
    if (!this.running) return;
    this.failing.add(`subscription ${name}`);
    this.logger.error({ subscription: name, reason }, 'OPC UA subscription ended by the server');
    this.setState('degraded');
  }

  private reportFailure(failure: OpcUaConnectionError): void {
    const { endpoint, pkiDir } = this.options.endpoint;
    if (failure.failure === 'certificate-untrusted') {
      const rejected = latestRejectedCertificate(pkiDir);
      this.logger.error(
        { failure: failure.failure, rejectedCertificate: rejected, pkiDir },
        `OPC UA server certificate of ${endpoint} is not trusted; it was put in ` +
          `${rejected ?? `${pkiDir}/rejected`}. Trust it with ` +
          `'threadline plc trust ${endpoint} --pki-dir ${pkiDir}' after checking its thumbprint`,
      );
      return;
    }
    this.logger.error({ failure: failure.failure, err: failure.cause }, failure.message);
  }

  private backoff(attempt: number): number {
    const { initialDelayMs, maxDelayMs } = this.reconnect;
    return Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt, 20));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private setState(next: SourceState): void {
    this.current = next;
    this.publishState();
  }

  private publishState(): void {
    this.options.metrics?.plcSourceUp.set(this.labels(), TARGET_STATE_VALUE[this.current]);
  }

  private labels() {
    return { connector: this.options.connector, source: this.name };
  }
}
