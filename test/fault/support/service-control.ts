import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { TEST_POSTGRES_ADMIN_URL, eventually } from '@threadline/testing';
import { Client } from 'pg';

const run = promisify(execFile);

/** Stops the RabbitMQ application (the Erlang node stays up, as in a broker restart). */
export async function stopRabbitMq(): Promise<void> {
  await run('rabbitmqctl', ['stop_app'], { timeout: 60_000 });
}

/** Starts RabbitMQ again and waits until it accepts work. Safe to call when it is running. */
export async function startRabbitMq(): Promise<void> {
  await run('rabbitmqctl', ['start_app'], { timeout: 120_000 });
  await run('rabbitmqctl', ['await_startup'], { timeout: 120_000 });
}

function postgresCluster(action: 'start' | 'stop'): Promise<unknown> {
  const version = readdirSync('/etc/postgresql')[0];
  const extra = action === 'stop' ? ['-m', 'fast'] : [];
  return run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action, ...extra], {
    timeout: 60_000,
  });
}

export async function stopPostgres(): Promise<void> {
  await postgresCluster('stop');
}

/** Starts PostgreSQL (ignoring "already running") and waits until it accepts connections. */
export async function startPostgres(): Promise<void> {
  await postgresCluster('start').catch(() => undefined);
  await eventually(postgresAcceptsConnections, 'PostgreSQL accepting connections', 60_000, 250);
}

async function postgresAcceptsConnections(): Promise<boolean> {
  const client = new Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
