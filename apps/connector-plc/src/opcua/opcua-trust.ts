import type * as Pki from './opcua-pki';

/** `trustServerCertificate`, loading node-opcua only when it is called (the CLI's `plc trust`). */
export async function trustServerCertificate(
  ...parameters: Parameters<typeof Pki.trustServerCertificate>
): ReturnType<typeof Pki.trustServerCertificate> {
  const pki = await import('./opcua-pki');
  return pki.trustServerCertificate(...parameters);
}
