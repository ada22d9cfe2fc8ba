import { AMQP_TLS_ENV, MessagingRuntime, amqpTlsOptionsFromEnv } from '@threadline/messaging';
import {
  TEST_AMQP_URL,
  conformanceLogger,
  createTestDatabase,
  eventually,
  type TestDatabase,
} from '@threadline/testing';
import { connect } from 'amqplib';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createMemoryIo } from '../../apps/threadline/src/cli/cli-io';
import { runCli } from '../../apps/threadline/src/cli/program';

/**
 * AMQP over TLS against the local RabbitMQ: test/support/amqp-tls/ensure-tls-listener.sh makes a
 * throwaway CA with server and client certificates and starts a TLS listener on 127.0.0.1:5671
 * through `rabbitmqctl eval`, without restarting the broker (idempotent; .ci/run runs it too).
 */
const TLS_URL = 'amqps://guest:guest@localhost:5671';
let certificates: string;
let database: TestDatabase;

function tlsEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    [AMQP_TLS_ENV.ca]: join(certificates, 'ca.pem'),
    [AMQP_TLS_ENV.cert]: join(certificates, 'client.pem'),
    [AMQP_TLS_ENV.key]: join(certificates, 'client.key'),
    ...overrides,
  };
}

async function cli(env: Record<string, string>, ...argv: string[]) {
  const memory = createMemoryIo('', { DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...env });
  const code = await runCli(argv, memory.io);
  return { code, stdout: memory.stdout(), stderr: memory.stderr() };
}

/** The broker's own view of a connection: whether it is TLS, and with which protocol. */
function brokerSeesTls(connectionName: string): string | undefined {
  const listing = execFileSync(
    'rabbitmqctl',
    ['-q', 'list_connections', 'ssl', 'ssl_protocol', 'client_properties'],
    { encoding: 'utf8' },
  );
  const line = listing.split('\n').find((row) => row.includes(connectionName));
  return line?.split('\t').slice(0, 2).join(' ');
}

beforeAll(async () => {
  certificates = execFileSync(
    'bash',
    [join(__dirname, '../support/amqp-tls/ensure-tls-listener.sh')],
    { encoding: 'utf8' },
  ).trim();
  database = await createTestDatabase('threadline_amqp_tls');
});

afterAll(async () => {
  await database?.drop();
});

describe('AMQP over TLS (amqps://, local RabbitMQ TLS listener)', () => {
  it('runs a messaging runtime over TLS with the CA, client certificate and key from the environment', async () => {
    const connectionName = `threadline-tls-test-${randomUUID().slice(0, 8)}`;
    const runtime = await MessagingRuntime.create({
      amqpUrl: TLS_URL,
      amqpSocketOptions: { ...amqpTlsOptionsFromEnv(tlsEnv(), TLS_URL) },
      database: { url: database.url },
      logger: conformanceLogger,
      connectionName,
    });
    try {
      await runtime.start();
      await eventually(() => brokerSeesTls(connectionName) !== undefined, 'connection listed');
      expect(brokerSeesTls(connectionName)).toMatch(/^true tlsv1\.[23]$/);
    } finally {
      await runtime.stop();
    }
  });

  it('threadline dlq show reads a dead letter over amqps://', async () => {
    const queue = `threadline.tls-test-${randomUUID().slice(0, 8)}.events.dlq`;
    const plain = await connect(TEST_AMQP_URL);
    try {
      const channel = await plain.createChannel();
      await channel.assertQueue(queue, { durable: false, autoDelete: false });
      channel.sendToQueue(queue, Buffer.from('{"id":"sent-over-plain-amqp"}'), {
        messageId: 'msg-tls-1',
        headers: { 'x-error-kind': 'validation' },
      });
      await channel.close();
      const shown = await cli({ AMQP_URL: TLS_URL, ...tlsEnv() }, 'dlq', 'show', queue, '--json');
      expect(shown.stderr).toBe('');
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('msg-tls-1');
      expect(shown.stdout).toContain('sent-over-plain-amqp');
    } finally {
      const channel = await plain.createChannel();
      await channel.deleteQueue(queue);
      await plain.close();
    }
  });

  it('connects with the CA only (the listener does not demand a client certificate)', async () => {
    const listed = await cli(
      { AMQP_URL: TLS_URL, [AMQP_TLS_ENV.ca]: join(certificates, 'ca.pem') },
      'dlq',
      'list',
    );
    expect(listed).toMatchObject({ code: 0, stderr: '' });
  });

  it('refuses a broker whose certificate the configured CA did not sign, with no secret shown', async () => {
    const refused = await cli(
      {
        AMQP_URL: TLS_URL,
        [AMQP_TLS_ENV.ca]: join(certificates, 'other-ca.pem'),
      },
      'dlq',
      'list',
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "threadline: cannot connect to RabbitMQ at amqps://guest:***@localhost:5671: the broker's TLS certificate is refused (SELF_SIGNED_CERT_IN_CHAIN); check AMQP_TLS_CA_FILE and AMQP_TLS_SERVERNAME\n",
    );
    expect(refused.stderr).not.toContain('guest:guest');
  });

  it('refuses TLS settings with a plain amqp:// URL, naming the variable', async () => {
    const refused = await cli({ AMQP_URL: TEST_AMQP_URL, ...tlsEnv() }, 'dlq', 'list');
    expect(refused).toMatchObject({
      code: 2,
      stderr: `threadline: ${AMQP_TLS_ENV.ca}, ${AMQP_TLS_ENV.cert}, ${AMQP_TLS_ENV.key} set, but AMQP_URL is not amqps://: use amqps:// (usually port 5671) for TLS\n`,
    });
  });
});
