import { OpcUaConnectionError, trustServerCertificate } from '@threadline/app-connector-plc';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError } from './cli.errors';

const ENDPOINT_URL = /^opc\.tcp:\/\/[^/\s]+/;

/**
 * `plc trust <endpoint>`: stores the server certificate as trusted and prints its subject,
 * thumbprints and file. Exit 0 when stored, 2 when the endpoint is invalid or unreachable.
 */
export async function trustEndpoint(
  context: CliContext,
  endpoint: string,
  options: { pkiDir: string; timeout: string },
): Promise<ExitCode> {
  if (!ENDPOINT_URL.test(endpoint)) {
    throw new CliError(`'${endpoint}' is not an OPC UA endpoint URL (opc.tcp://host:port/path)`);
  }
  const timeoutMs = Number(options.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new CliError(
      `--timeout must be a positive number of milliseconds, got '${options.timeout}'`,
    );
  }
  try {
    const trusted = await trustServerCertificate(options.pkiDir, endpoint, { timeoutMs });
    context.io.stdout(
      `trusted the server certificate of ${endpoint}\n` +
        `  subject  ${trusted.subject}\n` +
        `  SHA-1    ${trusted.sha1}\n` +
        `  SHA-256  ${trusted.sha256}\n` +
        `  valid to ${trusted.validTo}\n` +
        `  stored   ${trusted.file}\n`,
    );
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof OpcUaConnectionError) throw new CliError(error.message);
    throw error;
  }
}
