import { readFileSync } from 'node:fs';

/** The environment variables of AMQP over TLS (`amqps://`), one place for code and docs. */
export const AMQP_TLS_ENV = {
  /** PEM file of the CA(s) that signed the broker's certificate (default: the system's CAs). */
  ca: 'AMQP_TLS_CA_FILE',
  /** PEM client certificate, for brokers that ask for one (mutual TLS); with the key. */
  cert: 'AMQP_TLS_CERT_FILE',
  /** PEM private key of the client certificate. */
  key: 'AMQP_TLS_KEY_FILE',
  /** Passphrase of an encrypted key (a secret: never logged). */
  passphrase: 'AMQP_TLS_KEY_PASSPHRASE',
  /** Name to check the broker's certificate against (SNI), when it differs from the URL's host. */
  servername: 'AMQP_TLS_SERVERNAME',
} as const;

/** A TLS setting that cannot be used; the message names the variable and the rule. */
export class AmqpTlsConfigError extends Error {
  override name = 'AmqpTlsConfigError';
}

/** The TLS options amqplib passes to `tls.connect` (the socket options of `connect`). */
export interface AmqpTlsSocketOptions {
  ca?: Buffer[];
  cert?: Buffer;
  key?: Buffer;
  passphrase?: string;
  servername?: string;
  /** Always true: a broker whose certificate does not verify is refused. */
  rejectUnauthorized: true;
}

type Environment = Readonly<Record<string, string | undefined>>;

function setting(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function readPem(env: Environment, name: string): Buffer {
  const path = setting(env, name)!;
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new AmqpTlsConfigError(`${name}: cannot read '${path}' (${code})`);
  }
  if (!content.toString('latin1').includes('-----BEGIN ')) {
    throw new AmqpTlsConfigError(`${name}: '${path}' is not a PEM file (no -----BEGIN line)`);
  }
  return content;
}

/**
 * The socket options for `amqplib.connect` from AMQP_TLS_* (see AMQP_TLS_ENV): undefined for an
 * `amqp://` URL without them; for `amqps://`, the CA, client certificate and key, passphrase and
 * server name that are set (with none, Node's default CAs verify the broker). Certificates are
 * always verified. Settings that cannot work (TLS files with a plain `amqp://` URL, a certificate
 * without its key, an unreadable file) are refused with the variable named.
 */
export function amqpTlsOptionsFromEnv(
  env: Environment,
  url: string,
): AmqpTlsSocketOptions | undefined {
  const given = Object.values(AMQP_TLS_ENV).filter((name) => setting(env, name) !== undefined);
  const secure = /^amqps:\/\//i.test(url.trim());
  if (!secure) {
    if (given.length > 0) {
      throw new AmqpTlsConfigError(
        `${given.join(', ')} set, but AMQP_URL is not amqps://: use amqps:// (usually port 5671) for TLS`,
      );
    }
    return undefined;
  }
  const hasCert = setting(env, AMQP_TLS_ENV.cert) !== undefined;
  const hasKey = setting(env, AMQP_TLS_ENV.key) !== undefined;
  if (hasCert !== hasKey) {
    const missing = hasCert ? AMQP_TLS_ENV.key : AMQP_TLS_ENV.cert;
    throw new AmqpTlsConfigError(
      `${missing} must be set too: a client certificate needs its key (${AMQP_TLS_ENV.cert} and ${AMQP_TLS_ENV.key})`,
    );
  }
  const options: AmqpTlsSocketOptions = { rejectUnauthorized: true };
  if (setting(env, AMQP_TLS_ENV.ca) !== undefined) options.ca = [readPem(env, AMQP_TLS_ENV.ca)];
  if (hasCert) {
    options.cert = readPem(env, AMQP_TLS_ENV.cert);
    options.key = readPem(env, AMQP_TLS_ENV.key);
  }
  const passphrase = env[AMQP_TLS_ENV.passphrase];
  if (passphrase !== undefined && passphrase !== '') options.passphrase = passphrase;
  const servername = setting(env, AMQP_TLS_ENV.servername);
  if (servername !== undefined) options.servername = servername;
  return options;
}

/** What the TLS settings amount to, for a log line: file names, never contents or passphrase. */
export function describeAmqpTls(env: Environment, url: string): string {
  if (!/^amqps:\/\//i.test(url.trim())) return 'plain AMQP (no TLS)';
  const parts = [
    `CA ${setting(env, AMQP_TLS_ENV.ca) ?? 'system default'}`,
    setting(env, AMQP_TLS_ENV.cert)
      ? `client certificate ${setting(env, AMQP_TLS_ENV.cert)}`
      : 'no client certificate',
  ];
  const servername = setting(env, AMQP_TLS_ENV.servername);
  if (servername) parts.push(`server name ${servername}`);
  return `TLS (${parts.join(', ')})`;
}
