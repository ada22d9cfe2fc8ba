import { ThreadlineError } from '@threadline/core';

/**
 * Why a Modbus request failed:
 * - `timeout`: the unit did not answer within its timeout (the connection may be fine);
 * - `disconnected`: no TCP connection to the endpoint (refused, closed, reset);
 * - `exception`: the unit answered with a Modbus exception (illegal address, device failure).
 */
export type ModbusFailure = 'timeout' | 'disconnected' | 'exception';

export interface ModbusRequestErrorContext {
  endpoint: string;
  unitId?: number;
  /** The Modbus exception code, for `exception`. */
  exceptionCode?: number;
  cause?: unknown;
}

export class ModbusRequestError extends ThreadlineError {
  readonly endpoint: string;
  readonly unitId?: number;
  readonly exceptionCode?: number;

  constructor(
    readonly failure: ModbusFailure,
    message: string,
    context: ModbusRequestErrorContext,
  ) {
    // An exception answer repeats until the configuration or the device changes.
    const retryable = failure !== 'exception';
    super(retryable ? 'TRANSIENT' : 'PERMANENT', message, { cause: context.cause, retryable });
    this.endpoint = context.endpoint;
    this.unitId = context.unitId;
    this.exceptionCode = context.exceptionCode;
  }
}

export function isDisconnected(error: unknown): boolean {
  return error instanceof ModbusRequestError && error.failure === 'disconnected';
}
