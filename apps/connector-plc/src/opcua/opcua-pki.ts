import { X509Certificate } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fetchServerCertificate, openClientPki, trustCertificate } from './opcua.client';

/**
 * The connector's OPC UA PKI folder (`pkiDir`, default ./data/pki):
 * - `own/certs/client_certificate.pem`, `own/private/private_key.pem`: the client's identity,
 *   created on first start;
 * - `trusted/certs/`: server certificates an operator trusted (`threadline plc trust`);
 * - `rejected/`: server certificates seen and refused, for an operator to inspect.
 * Nothing moves from rejected to trusted by itself.
 */

export interface ClientCertificate {
  certificateFile: string;
  /** True on the first start: the certificate did not exist and was created now. */
  created: boolean;
}

/** Creates the PKI folders and the client certificate if they do not exist yet. */
export async function ensureClientCertificate(pkiDir: string): Promise<ClientCertificate> {
  const pki = await openClientPki(pkiDir);
  await pki.manager.dispose();
  return { certificateFile: pki.certificateFile, created: pki.created };
}

export interface CertificateSummary {
  subject: string;
  /** Colon-separated hex, as operators compare them with the server's own display. */
  sha1: string;
  sha256: string;
  validTo: string;
}

export function describeCertificate(certificate: Buffer): CertificateSummary {
  const x509 = new X509Certificate(certificate);
  return {
    subject: x509.subject.split('\n').join(', '),
    sha1: x509.fingerprint,
    sha256: x509.fingerprint256,
    validTo: new Date(x509.validTo).toISOString(),
  };
}

export interface TrustedServerCertificate extends CertificateSummary {
  /** Where the certificate is now stored. */
  file: string;
}

/**
 * Fetches the certificate the server at `endpointUrl` presents (GetEndpoints) and stores it in
 * `<pkiDir>/trusted/certs`, so that secured connections to that server are accepted. Throws an
 * OpcUaConnectionError when the endpoint cannot be reached.
 */
export async function trustServerCertificate(
  pkiDir: string,
  endpointUrl: string,
  options: { timeoutMs?: number } = {},
): Promise<TrustedServerCertificate> {
  const certificate = await fetchServerCertificate(
    endpointUrl,
    pkiDir,
    options.timeoutMs ?? 10_000,
  );
  await trustCertificate(pkiDir, certificate);
  const summary = describeCertificate(certificate);
  const folder = join(pkiDir, 'trusted', 'certs');
  return { ...summary, file: findByThumbprint(folder, summary.sha1) ?? folder };
}

/** The most recently rejected server certificate in `<pkiDir>/rejected`, if any. */
export function latestRejectedCertificate(pkiDir: string): string | undefined {
  const folder = join(pkiDir, 'rejected');
  const files = listFiles(folder).map((name) => {
    const file = join(folder, name);
    return { file, modified: statSync(file).mtimeMs };
  });
  files.sort((left, right) => right.modified - left.modified);
  return files[0]?.file;
}

/** The PKI names files `<subject>[<sha1 thumbprint, lower-case hex>].pem`. */
function findByThumbprint(folder: string, sha1: string): string | undefined {
  const thumbprint = sha1.replace(/:/g, '').toLowerCase();
  const name = listFiles(folder).find((candidate) => candidate.includes(`[${thumbprint}]`));
  return name === undefined ? undefined : join(folder, name);
}

function listFiles(folder: string): string[] {
  try {
    return readdirSync(folder).filter((name) => name.endsWith('.pem') || name.endsWith('.der'));
  } catch {
    return [];
  }
}
