import { backoffDelayMs, type Clock } from '@threadline/connector-sdk/config';
import type { Logger, MetricsRegistry } from '@threadline/observability';
import type { ModbusEndpoint, SampleSink, SignalSource } from '../plc-config.types';
import { ModbusClient, type ModbusReadRequest } from './modbus.client';
import { isDisconnected, ModbusRequestError } from './modbus.errors';
import { PollGroupPoller } from './poll-group.poller';

export interface ModbusReconnectPolicy {
  /** Ceiling of the first delay; doubles per failed attempt (full jitter). */
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface ModbusSourceOptions {
  connector: string;
  endpoint: ModbusEndpoint;
  logger: Logger;
  metrics?: MetricsRegistry;
  /** Time for sample timestamps; default the system clock. */
  clock?: Pick<Clock, 'now'>;
  /** Default 250 ms doubling to 10 s. */
  reconnect?: ModbusReconnectPolicy;
  /** Default 5 s. */
  connectTimeoutMs?: number;
  /** For the reconnect jitter; a number in [0, 1). */
  random?: () => number;
}

type SourceState = ReturnType<SignalSource['state']>;

const STATE_VALUE: Record<SourceState, number> = { up: 1, degraded: 0.5, down: 0 };
const DEFAULT_RECONNECT: ModbusReconnectPolicy = { initialDelayMs: 250, maxDelayMs: 10_000 };

/**
 * A Modbus TCP endpoint as a signal source: one connection shared by its units, one poller per
 * unit and poll group on its own timer (see PollGroupPoller). Requests to different units are in
 * flight together with their own timeouts, so a unit that does not answer never delays the others.
 *
 * The connection: `start` makes one attempt and resolves either way (a PLC that is off must not
 * hold the service back); while there is no connection, reads fail at once and a loop reconnects
 * with exponential backoff and full jitter, forever, the first attempt after a lost connection
 * immediately. State: `down` without a connection (Modbus has no session to resume, so nothing is
 * read while reconnecting), `degraded` when connected but a poll group's last cycle failed, `up`
 * otherwise; `threadline_plc_source_up` follows it.
 */
export class ModbusSource implements SignalSource {
  readonly name: string;
  private readonly logger: Logger;
  private readonly labels: { connector: string; source: string };
  private readonly reconnectPolicy: ModbusReconnectPolicy;
  private readonly clock: Pick<Clock, 'now'>;
  private pollers: PollGroupPoller[] = [];
  private client: ModbusClient | undefined;
  private running = false;
  private reconnecting: Promise<void> | undefined;
  private pauseTimer: NodeJS.Timeout | undefined;
  private endPause: (() => void) | undefined;
  private reportedState: SourceState | undefined;

  constructor(private readonly options: ModbusSourceOptions) {
    this.name = `modbus/${options.endpoint.name}`;
    this.labels = { connector: options.connector, source: this.name };
    this.logger = options.logger.child({ source: this.name });
    this.reconnectPolicy = options.reconnect ?? DEFAULT_RECONNECT;
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  async start(sink: SampleSink): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already started`);
    this.running = true;
    this.pollers = this.options.endpoint.units.flatMap((unit) =>
      unit.pollGroups.map((group) => this.poller(unit, group, sink)),
    );
    this.refreshState();
    if (!(await this.connect())) {
      this.logger.warn(this.address(), 'Modbus endpoint unreachable; reconnecting with backoff');
      this.reconnectInBackground(false);
    }
    if (!this.running) return;
    for (const poller of this.pollers) poller.start();
  }

  /** Stops polling, closes the connection (pending reads fail at once) and ends reconnecting. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.pauseTimer);
    this.endPause?.();
    const stopping = this.pollers.map((poller) => poller.stop());
    this.client?.close();
    this.client = undefined;
    await Promise.all(stopping);
    await this.reconnecting;
    this.refreshState();
  }

  state(): SourceState {
    if (!this.running || !this.client) return 'down';
    return this.pollers.every((poller) => poller.healthy) ? 'up' : 'degraded';
  }

  private poller(
    unit: ModbusEndpoint['units'][number],
    group: ModbusEndpoint['units'][number]['pollGroups'][number],
    sink: SampleSink,
  ): PollGroupPoller {
    return new PollGroupPoller({
      connector: this.options.connector,
      source: this.name,
      unit,
      group,
      read: (request) => this.read(request),
      sink,
      logger: this.logger,
      metrics: this.options.metrics,
      now: () => this.clock.now(),
      onCycle: () => this.refreshState(),
    });
  }

  private async read(request: ModbusReadRequest): Promise<number[]> {
    const client = this.client;
    if (!client) {
      throw new ModbusRequestError('disconnected', 'not connected', {
        endpoint: this.options.endpoint.name,
        unitId: request.unitId,
      });
    }
    try {
      return await client.read(request);
    } catch (error) {
      if (isDisconnected(error)) this.connectionLost(client, (error as Error).message);
      throw error;
    }
  }

  /** One attempt; true once connected (or when stopped meanwhile). */
  private async connect(): Promise<boolean> {
    const { name, host, port } = this.options.endpoint;
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 5_000;
    let client: ModbusClient;
    try {
      client = await ModbusClient.connect({ name, host, port, connectTimeoutMs });
    } catch (error) {
      this.logger.debug({ ...this.address(), err: error }, 'Modbus connect attempt failed');
      return !this.running;
    }
    if (!this.running) {
      client.close();
      return true;
    }
    client.onLost((reason) => this.connectionLost(client, reason));
    this.client = client;
    this.logger.info(this.address(), 'Modbus endpoint connected');
    this.refreshState();
    return true;
  }

  private connectionLost(client: ModbusClient, reason: string): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.close();
    this.logger.warn({ ...this.address(), reason }, 'Modbus connection lost; reconnecting');
    this.refreshState();
    this.reconnectInBackground(true);
  }

  private reconnectInBackground(immediately: boolean): void {
    if (this.reconnecting || !this.running) return;
    this.reconnecting = this.reconnectLoop(immediately).finally(() => {
      this.reconnecting = undefined;
    });
  }

  private async reconnectLoop(immediately: boolean): Promise<void> {
    for (let retry = immediately ? 0 : 1; this.running; retry += 1) {
      if (retry > 0) await this.pause(this.backoff(retry));
      if (!this.running || (await this.connect())) return;
    }
  }

  private backoff(retry: number): number {
    const policy = { ...this.reconnectPolicy, maxAttempts: Number.POSITIVE_INFINITY };
    return backoffDelayMs(policy, retry, this.options.random);
  }

  private pause(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      this.endPause = resolve;
      this.pauseTimer = setTimeout(resolve, milliseconds);
    });
  }

  private refreshState(): void {
    const state = this.state();
    if (state === this.reportedState) return;
    this.reportedState = state;
    this.options.metrics?.plcSourceUp.set(this.labels, STATE_VALUE[state]);
  }

  private address(): { host: string; port: number } {
    return { host: this.options.endpoint.host, port: this.options.endpoint.port };
  }
}
