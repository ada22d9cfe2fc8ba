import ModbusRTU from 'modbus-serial';
import type { ModbusFunction } from '../plc-config.types';
import { ModbusRequestError } from './modbus.errors';

/** The one file that talks to modbus-serial: a Modbus TCP connection to one endpoint. */

export interface ModbusConnectOptions {
  /** The endpoint's configured name, for errors. */
  name: string;
  host: string;
  port: number;
  connectTimeoutMs: number;
}

export interface ModbusReadRequest {
  unitId: number;
  function: ModbusFunction;
  address: number;
  count: number;
  timeoutMs: number;
}

/**
 * One TCP connection to an endpoint, shared by all its units. Requests carry their own unit id
 * and timeout and may be outstanding together (Modbus TCP matches answers by transaction id), so
 * a unit that never answers holds only its own requests. Words come back as 16-bit numbers, bits
 * as 0 or 1. When the connection goes, pending requests fail at once as `disconnected` and the
 * `onLost` listeners run; a closed client is not reopened (connect again for a new one).
 */
export class ModbusClient {
  private readonly pending = new Map<(error: ModbusRequestError) => void, number>();
  private readonly lostListeners: Array<(reason: string) => void> = [];
  private closed = false;

  private constructor(
    private readonly modbus: ModbusRTU,
    private readonly endpoint: string,
  ) {
    modbus.on('close', () => this.end('the endpoint closed the connection', true));
    modbus.on('error', (error) => this.end(`connection error: ${describe(error)}`, true));
  }

  static async connect(options: ModbusConnectOptions): Promise<ModbusClient> {
    const modbus = new ModbusRTU();
    try {
      // `timeout` bounds the TCP connect; request timeouts are set per request.
      await modbus.connectTCP(options.host, {
        port: options.port,
        timeout: options.connectTimeoutMs,
      });
    } catch (cause) {
      modbus.destroy(() => undefined);
      throw new ModbusRequestError(
        'disconnected',
        `cannot connect to ${options.host}:${options.port}: ${describe(cause)}`,
        { endpoint: options.name, cause },
      );
    }
    return new ModbusClient(modbus, options.name);
  }

  get isOpen(): boolean {
    return !this.closed && this.modbus.isOpen;
  }

  /** Runs once, when the connection is lost (not after `close`). */
  onLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  read(request: ModbusReadRequest): Promise<number[]> {
    if (!this.isOpen) return Promise.reject(this.disconnected(request.unitId, 'not connected'));
    // modbus-serial takes the unit id and the timeout from the client while it writes the
    // request, synchronously inside `send`, so concurrent requests keep their own.
    this.modbus.setID(request.unitId);
    this.modbus.setTimeout(request.timeoutMs);
    const answer = this.send(request);
    return new Promise<number[]>((resolve, reject) => {
      this.pending.set(reject, request.unitId);
      void answer
        .then(resolve, (cause: unknown) => reject(this.classify(cause, request)))
        .finally(() => this.pending.delete(reject));
    });
  }

  /** Closes the connection; pending requests fail as `disconnected`. */
  close(): void {
    this.end('closed by the connector', false);
  }

  private send(request: ModbusReadRequest): Promise<number[]> {
    const { address, count } = request;
    switch (request.function) {
      case 'holding':
        return this.modbus.readHoldingRegisters(address, count).then((result) => result.data);
      case 'input':
        return this.modbus.readInputRegisters(address, count).then((result) => result.data);
      case 'coil':
        return this.modbus.readCoils(address, count).then((result) => bits(result.data, count));
      case 'discrete':
        return this.modbus
          .readDiscreteInputs(address, count)
          .then((result) => bits(result.data, count));
    }
  }

  private classify(cause: unknown, request: ModbusReadRequest): ModbusRequestError {
    const { unitId } = request;
    const where = `unit ${unitId} ${request.function} ${request.address}+${request.count}`;
    const exceptionCode = numberField(cause, 'modbusCode');
    if (exceptionCode !== undefined) {
      return new ModbusRequestError('exception', `${where}: ${describe(cause)}`, {
        endpoint: this.endpoint,
        unitId,
        exceptionCode,
        cause,
      });
    }
    if (!this.isOpen) return this.disconnected(unitId, `${where}: ${describe(cause)}`, cause);
    if (field(cause, 'errno') === 'ETIMEDOUT') {
      return new ModbusRequestError('timeout', `${where}: no answer in ${request.timeoutMs} ms`, {
        endpoint: this.endpoint,
        unitId,
        cause,
      });
    }
    return this.disconnected(unitId, `${where}: ${describe(cause)}`, cause);
  }

  private disconnected(unitId: number, message: string, cause?: unknown): ModbusRequestError {
    return new ModbusRequestError('disconnected', message, {
      endpoint: this.endpoint,
      unitId,
      cause,
    });
  }

  private end(reason: string, lost: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.modbus.destroy(() => undefined);
    for (const [reject, unitId] of this.pending) reject(this.disconnected(unitId, reason));
    this.pending.clear();
    if (lost) for (const listener of this.lostListeners) listener(reason);
  }
}

/** Bits of a coil or discrete-input answer as 0/1 (the library pads them to whole bytes). */
function bits(values: readonly boolean[], count: number): number[] {
  return values.slice(0, count).map(Number);
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function numberField(value: unknown, name: string): number | undefined {
  const found = field(value, name);
  return typeof found === 'number' ? found : undefined;
}

function describe(error: unknown): string {
  const message = field(error, 'message');
  return typeof message === 'string' && message !== '' ? message : String(error);
}
