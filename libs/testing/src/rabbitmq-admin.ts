import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect } from 'amqplib';

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

interface ConnectionInfo {
  name: string;
  client_properties: [string, string, unknown][];
}

/**
 * Closes the broker side of every connection whose client named itself `connectionName`, as a
 * network cut would: the client sees the connection drop and must recover by itself. Touches no
 * other test's connections.
 */
export async function closeRabbitConnections(connectionName: string): Promise<number> {
  const { stdout } = await execFileAsync('rabbitmqctl', [
    '-q',
    'list_connections',
    'name',
    'client_properties',
    '--formatter',
    'json',
  ]);
  const connections = JSON.parse(stdout) as ConnectionInfo[];
  const ours = connections.filter((c) =>
    c.client_properties.some(
      ([key, , value]) => key === 'connection_name' && value === connectionName,
    ),
  );
  for (const connection of ours) {
    await execFileAsync('rabbitmqctl', [
      '-q',
      'close_connection',
      connection.name,
      'conformance test: simulated network cut',
    ]);
  }
  return ours.length;
}
