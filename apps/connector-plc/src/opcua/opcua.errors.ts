import { ThreadlineError } from '@threadline/core';

/**
 * Why an OPC UA connection could not be opened:
 * - `certificate-untrusted`: the server's certificate is not in the trust list (it was put in
 *   `<pkiDir>/rejected`); it stays so until an operator trusts it (`threadline plc trust`);
 * - `endpoint-not-found`: the server offers no endpoint with the configured security mode and
 *   policy;
 * - `unreachable`: no answer from the endpoint (refused, closed, timed out);
 * - `session-failed`: connected, but the session or a subscription could not be created.
 */
export type OpcUaFailure =
  'certificate-untrusted' | 'endpoint-not-found' | 'unreachable' | 'session-failed';

export class OpcUaConnectionError extends ThreadlineError {
  constructor(
    readonly failure: OpcUaFailure,
    readonly endpointUrl: string,
    message: string,
    cause?: unknown,
  ) {
    // Every failure may clear without a restart: the operator trusts the certificate, the
    // server comes back or is reconfigured. Sources keep retrying them all.
    super('TRANSIENT', message, { cause, retryable: true });
  }
}

/** Classifies a node-opcua connect error by its message (node-opcua throws plain Errors). */
export function classifyConnectError(endpointUrl: string, error: unknown): OpcUaConnectionError {
  if (error instanceof OpcUaConnectionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/BadCertificateUntrusted|certificate verification failed/i.test(message)) {
    return new OpcUaConnectionError(
      'certificate-untrusted',
      endpointUrl,
      `the server certificate of ${endpointUrl} is not trusted`,
      error,
    );
  }
  if (/cannot find endpoint/i.test(message)) {
    return new OpcUaConnectionError(
      'endpoint-not-found',
      endpointUrl,
      `${endpointUrl} offers no endpoint for this security mode and policy`,
      error,
    );
  }
  return new OpcUaConnectionError(
    'unreachable',
    endpointUrl,
    `cannot reach ${endpointUrl}: ${firstLine(message)}`,
    error,
  );
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
