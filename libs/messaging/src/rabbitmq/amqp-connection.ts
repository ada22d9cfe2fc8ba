import {
  connect,
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type Options,
} from 'amqplib';
import type { Logger } from 'pino';
import { BehaviorSubject } from 'rxjs';
import type { ConnectionState } from '../broker-driver';

export interface AmqpConnectionOptions {
  readonly url: string;
  /** TLS and other socket options for amqps:// (ca, cert, key, passphrase, servername). */
  readonly socketOptions?: Record<string, unknown>;
  readonly heartbeatSeconds?: number;
  /** Attempts for the first connection; reconnects after a loss never give up. */
  readonly initialAttempts?: number;
  readonly reconnectDelayMs?: { readonly min: number; readonly max: number };
  readonly connectionName?: string;
  readonly logger: Logger;
}

/** Work to redo on every (re)connection: declare topology, re-attach consumers. */
export type ConnectedHook = (connection: ChannelModel) => Promise<void>;

/**
 * One AMQP connection that comes back by itself: bounded attempts at start, then reconnects with
 * jittered exponential backoff after every loss, and runs the registered hooks in order each time
 * it is up again. The state is an observable so health checks and metrics can follow it.
 */
export class AmqpConnection {
  readonly state$ = new BehaviorSubject<ConnectionState>('disconnected');
  private connection?: ChannelModel;
  private confirmChannel?: ConfirmChannel;
  private readonly hooks: ConnectedHook[] = [];
  private reconnectTimer?: NodeJS.Timeout;
  private stopping = false;

  constructor(private readonly options: AmqpConnectionOptions) {}

  onConnected(hook: ConnectedHook): void {
    this.hooks.push(hook);
  }

  isConnected(): boolean {
    return this.state$.value === 'connected';
  }

  /** The publishing channel, in confirm mode; undefined while disconnected. */
  publishChannel(): ConfirmChannel | undefined {
    return this.isConnected() ? this.confirmChannel : undefined;
  }

  current(): ChannelModel | undefined {
    return this.isConnected() ? this.connection : undefined;
  }

  async start(): Promise<void> {
    const attempts = this.options.initialAttempts ?? Number.POSITIVE_INFINITY;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.open();
        return;
      } catch (error) {
        if (this.stopping) throw error;
        const certificate = certificateProblem(error);
        if (certificate !== undefined) {
          // Retrying cannot make an untrusted certificate trusted: say so at once.
          this.state$.next('disconnected');
          throw new Error(
            `cannot connect to RabbitMQ at ${redactAmqpUrl(this.options.url)}: the broker's TLS certificate is refused (${certificate}); check AMQP_TLS_CA_FILE and AMQP_TLS_SERVERNAME`,
            { cause: error },
          );
        }
        if (attempt >= attempts) {
          this.state$.next('disconnected');
          throw new Error(
            `cannot connect to RabbitMQ at ${redactAmqpUrl(this.options.url)} after ${attempt} attempt(s): ${(error as Error).message}`,
            { cause: error },
          );
        }
        await delay(this.backoff(attempt));
      }
    }
  }

  /** A short-lived channel for one-off work (topology, DLQ tools); closed by the caller. */
  async createChannel(): Promise<Channel> {
    const connection = this.current();
    if (!connection) throw new Error('RabbitMQ is not connected');
    return connection.createChannel();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    const connection = this.connection;
    this.connection = undefined;
    this.confirmChannel = undefined;
    if (connection) await connection.close().catch(() => undefined);
    this.state$.next('closed');
  }

  private async open(): Promise<void> {
    this.state$.next('connecting');
    const connection = await connect(this.options.url, {
      ...this.options.socketOptions,
      heartbeat: this.options.heartbeatSeconds ?? 10,
      clientProperties: { connection_name: this.options.connectionName ?? 'threadline' },
    } as Options.Connect);
    try {
      connection.on('error', (error: Error) =>
        this.options.logger.warn({ err: error.message }, 'RabbitMQ connection error'),
      );
      connection.on('close', () => this.onClosed(connection));
      const confirmChannel = await connection.createConfirmChannel();
      confirmChannel.on('error', (error: Error) =>
        this.options.logger.warn({ err: error.message }, 'RabbitMQ publish channel error'),
      );
      this.connection = connection;
      this.confirmChannel = confirmChannel;
      for (const hook of this.hooks) await hook(connection);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    this.state$.next('connected');
    this.options.logger.info({ url: redactAmqpUrl(this.options.url) }, 'RabbitMQ connected');
  }

  private onClosed(connection: ChannelModel): void {
    if (this.connection !== connection || this.stopping) return;
    this.connection = undefined;
    this.confirmChannel = undefined;
    this.state$.next('disconnected');
    this.options.logger.warn('RabbitMQ connection lost; reconnecting');
    this.scheduleReconnect(1);
  }

  private scheduleReconnect(attempt: number): void {
    if (this.stopping) return;
    this.reconnectTimer = setTimeout(() => {
      this.open().catch((error: Error) => {
        this.options.logger.debug({ err: error.message, attempt }, 'RabbitMQ reconnect failed');
        this.state$.next('disconnected');
        this.scheduleReconnect(attempt + 1);
      });
    }, this.backoff(attempt));
  }

  private backoff(attempt: number): number {
    const { min, max } = this.options.reconnectDelayMs ?? { min: 200, max: 5_000 };
    const base = Math.min(max, min * 2 ** (attempt - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }
}

/** Node's codes for a peer certificate that does not verify (permanent, unlike a refused port). */
const CERTIFICATE_ERRORS = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

function certificateProblem(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && CERTIFICATE_ERRORS.has(code) ? code : undefined;
}

export function redactAmqpUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
