import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AMQP_TLS_ENV, amqpTlsOptionsFromEnv, describeAmqpTls } from './amqp-tls';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let directory: string;
let ca: string;
let cert: string;
let key: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'amqp-tls-'));
  ca = join(directory, 'ca.pem');
  cert = join(directory, 'client.pem');
  key = join(directory, 'client.key');
  for (const file of [ca, cert, key]) writeFileSync(file, PEM);
  writeFileSync(join(directory, 'not-pem.txt'), 'hello');
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('amqpTlsOptionsFromEnv', () => {
  it('gives nothing for amqp:// without TLS settings', () => {
    expect(amqpTlsOptionsFromEnv({}, 'amqp://guest:guest@127.0.0.1:5672')).toBeUndefined();
  });

  it('verifies with the system CAs for amqps:// without settings', () => {
    expect(amqpTlsOptionsFromEnv({}, 'amqps://broker:5671')).toEqual({ rejectUnauthorized: true });
  });

  it('reads the CA, client certificate and key, and passes passphrase and server name', () => {
    const options = amqpTlsOptionsFromEnv(
      {
        [AMQP_TLS_ENV.ca]: ca,
        [AMQP_TLS_ENV.cert]: cert,
        [AMQP_TLS_ENV.key]: key,
        [AMQP_TLS_ENV.passphrase]: 'key-passphrase',
        [AMQP_TLS_ENV.servername]: 'rabbit.plant.local',
      },
      'AMQPS://10.0.0.5:5671',
    );
    expect(options).toEqual({
      ca: [Buffer.from(PEM)],
      cert: Buffer.from(PEM),
      key: Buffer.from(PEM),
      passphrase: 'key-passphrase',
      servername: 'rabbit.plant.local',
      rejectUnauthorized: true,
    });
  });

  it('refuses TLS settings with a plain amqp:// URL', () => {
    expect(() => amqpTlsOptionsFromEnv({ [AMQP_TLS_ENV.ca]: ca }, 'amqp://127.0.0.1')).toThrow(
      'AMQP_TLS_CA_FILE set, but AMQP_URL is not amqps://: use amqps:// (usually port 5671) for TLS',
    );
  });

  it('refuses a certificate without its key, and a key without its certificate', () => {
    expect(() => amqpTlsOptionsFromEnv({ [AMQP_TLS_ENV.cert]: cert }, 'amqps://b')).toThrow(
      'AMQP_TLS_KEY_FILE must be set too: a client certificate needs its key',
    );
    expect(() => amqpTlsOptionsFromEnv({ [AMQP_TLS_ENV.key]: key }, 'amqps://b')).toThrow(
      'AMQP_TLS_CERT_FILE must be set too',
    );
  });

  it('names the variable of a file that cannot be read or is not PEM', () => {
    const missing = join(directory, 'absent.pem');
    expect(() => amqpTlsOptionsFromEnv({ [AMQP_TLS_ENV.ca]: missing }, 'amqps://b')).toThrow(
      `AMQP_TLS_CA_FILE: cannot read '${missing}' (ENOENT)`,
    );
    const text = join(directory, 'not-pem.txt');
    expect(() => amqpTlsOptionsFromEnv({ [AMQP_TLS_ENV.ca]: text }, 'amqps://b')).toThrow(
      `AMQP_TLS_CA_FILE: '${text}' is not a PEM file (no -----BEGIN line)`,
    );
  });

  it('describes the settings by file name, never the passphrase', () => {
    const env = {
      [AMQP_TLS_ENV.ca]: ca,
      [AMQP_TLS_ENV.cert]: cert,
      [AMQP_TLS_ENV.key]: key,
      [AMQP_TLS_ENV.passphrase]: 'key-passphrase',
    };
    const description = describeAmqpTls(env, 'amqps://b');
    expect(description).toBe(`TLS (CA ${ca}, client certificate ${cert})`);
    expect(description).not.toContain('key-passphrase');
    expect(describeAmqpTls({}, 'amqp://b')).toBe('plain AMQP (no TLS)');
  });
});
