import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { QUEUE_PURPOSES, consumerQueueNames } from '@threadline/messaging';

const execFileAsync = promisify(execFile);

export const TEST_AMQP_URL =
  process.env.THREADLINE_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Deletes queues a test declared, so runs do not pile up quorum queues on the broker. */
export async function deleteQueues(names: readonly string[], url = TEST_AMQP_URL): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    for (const name of names) await channel.deleteQueue(name);
    await channel.close();
  } finally {
    await connection.close();
  }
}

/**
 * Closes the broker side of every connection whose client named itself `connectionName`, as a
 * network cut would: the client sees the connection drop and must recover by itself. Touches no
 * other test's connections.
 */
export async function closeRabbitConnections(connectionName: string): Promise<number> {
  // Tab-separated output carries the pid in the form close_connection accepts (<rabbit@host.N.N.N>).
  const { stdout } = await execFileAsync('rabbitmqctl', [
    '-q',
    'list_connections',
    'pid',
    'client_properties',
    '--no-table-headers',
  ]);
  const marker = `{"connection_name","${connectionName}"}`;
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(marker))
    .map((line) => line.split('\t')[0]);
  for (const pid of pids) {
    await execFileAsync('rabbitmqctl', [
      '-q',
      'close_connection',
      pid,
      'test: simulated network cut',
    ]);
  }
  return pids.length;
}

/** Every queue a service may have declared: events and commands, their DLQs and retry tiers. */
export async function deleteServiceQueues(
  service: string,
  retryDelaysMs: readonly number[],
  url = TEST_AMQP_URL,
): Promise<void> {
  const queues = QUEUE_PURPOSES.flatMap((purpose) => {
    const names = consumerQueueNames(service, purpose, retryDelaysMs);
    return [names.queue, names.deadLetterQueue, ...names.retryQueues.map((tier) => tier.queue)];
  });
  await deleteQueues(queues, url);
}

export interface TestVhost {
  /** TEST_AMQP_URL pointing at the vhost. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A RabbitMQ virtual host of its own for one test file: exchanges, queues and bindings there are
 * invisible to every other test, so services with fixed queue names (connector-erp ...) can run
 * in several test files at once.
 */
export async function createTestVhost(prefix: string): Promise<TestVhost> {
  const name = `${prefix}-${process.pid}-${Date.now().toString(36)}`;
  await execFileAsync('rabbitmqctl', ['-q', 'add_vhost', name]);
  await execFileAsync('rabbitmqctl', [
    '-q',
    'set_permissions',
    '-p',
    name,
    'guest',
    '.*',
    '.*',
    '.*',
  ]);
  const base = new URL(TEST_AMQP_URL);
  base.pathname = `/${encodeURIComponent(name)}`;
  return {
    url: base.toString(),
    name,
    drop: async () => {
      await execFileAsync('rabbitmqctl', ['-q', 'delete_vhost', name]);
    },
  };
}
