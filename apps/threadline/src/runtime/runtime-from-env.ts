import { createLogger, MetricsRegistry, type Logger } from '@threadline/observability';
import { MessagingRuntime, amqpTlsOptionsFromEnv, describeAmqpTls } from '@threadline/messaging';
import { databaseOptionsFromEnv } from '@threadline/persistence';
import pino from 'pino';

export interface RuntimeFromEnv {
  readonly runtime: MessagingRuntime;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
  readonly mode: 'distributed' | 'embedded';
}

/**
 * AMQP_URL and DATABASE_URL select RabbitMQ and PostgreSQL; without them the embedded default
 * (in-memory broker, SQLite). Retry tiers: RETRY_DELAYS_MS (comma separated), RETRY_MAX_ATTEMPTS.
 */
export async function runtimeFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  logging: { level?: string; toStderr?: boolean } = {},
): Promise<RuntimeFromEnv> {
  const logger = createLogger({
    service: name,
    level: logging.level ?? env.LOG_LEVEL,
    // A CLI command's stdout is its answer; its logs go to stderr.
    destination: logging.toStderr ? pino.destination(2) : undefined,
  });
  const metrics = new MetricsRegistry();
  const amqpUrl = env.AMQP_URL?.trim() || undefined;
  const runtime = await MessagingRuntime.create({
    amqpUrl,
    // amqps:// with AMQP_TLS_CA_FILE, AMQP_TLS_CERT_FILE, AMQP_TLS_KEY_FILE, AMQP_TLS_SERVERNAME.
    amqpSocketOptions: amqpUrl ? { ...amqpTlsOptionsFromEnv(env, amqpUrl) } : undefined,
    database: databaseOptionsFromEnv(env),
    logger,
    metrics,
    retryPolicy: retryPolicyFromEnv(env),
    connectionName: name,
  });
  if (amqpUrl && /^amqps:/i.test(amqpUrl)) {
    // File names only: never the key's passphrase.
    logger.info({ tls: describeAmqpTls(env, amqpUrl) }, 'AMQP over TLS');
  }
  return { runtime, metrics, logger, mode: amqpUrl ? 'distributed' : 'embedded' };
}

function retryPolicyFromEnv(env: NodeJS.ProcessEnv) {
  const delays = env.RETRY_DELAYS_MS?.trim();
  const attempts = env.RETRY_MAX_ATTEMPTS?.trim();
  if (!delays && !attempts) return undefined;
  return {
    delaysMs: delays
      ? delays.split(',').map((d) => Number(d.trim()))
      : [1_000, 5_000, 30_000, 120_000, 600_000],
    maxAttempts: attempts ? Number(attempts) : 8,
  };
}
