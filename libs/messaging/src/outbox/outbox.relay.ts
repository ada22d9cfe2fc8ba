import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { BrokerDriver, OutboundMessage } from '../broker-driver';
import { CLOUDEVENTS_CONTENT_TYPE, type MessageHeaders } from '../pipeline/message-headers';
import { dialectOf, params, timestampValue, type Dialect } from '../pipeline/sql-dialect';
import { withTransaction } from '../pipeline/transaction';
import { CORRELATION_ID } from './outbox.writer';

export interface OutboxRelayOptions {
  readonly dataSource: DataSource;
  readonly driver: BrokerDriver;
  readonly logger: Logger;
  /** Rows claimed and published per round (default 500). */
  readonly batchSize?: number;
  /** Rounds in flight at once on PostgreSQL (default 2); always 1 on SQLite. */
  readonly concurrency?: number;
  /** Poll interval while idle, for rows written by other processes (default 200 ms). */
  readonly idlePollMs?: number;
  /** Wait after a failed round, doubling up to 10 s while the broker stays away (default 250 ms). */
  readonly failureBackoffMs?: number;
  readonly onPublished?: (messages: readonly OutboundMessage[]) => void;
}

interface OutboxRow {
  id: string | number;
  message_id: string;
  subject: string;
  exchange: string;
  routing_key: string;
  body: string;
  headers: string;
  created_at: Date | string;
}

/**
 * Publishes the outbox: claims the oldest unsent rows, publishes them with confirms, and marks
 * them sent in the same transaction. Unsent rows are found by `sent_at IS NULL`, never by a
 * "last id seen" mark, so a row that commits late is still picked up. On PostgreSQL rows are
 * claimed with FOR UPDATE SKIP LOCKED and each subject is published only from its earliest unsent
 * row, so several relays can run at once without publishing a row twice or a subject out of order. While the broker is away the
 * rows simply stay (store-and-forward) and the relay backs off.
 */
export class OutboxRelay {
  private running = false;
  private readonly sleepers = new Set<() => void>();
  private pending = false;
  private loops: Promise<void>[] = [];
  private failures = 0;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    // While one round waits for confirms or its commit, another claims and publishes: the
    // claims never overlap (SKIP LOCKED) and subjects stay in order (see claimRows).
    this.loops = Array.from({ length: this.concurrency() }, () => this.run());
  }

  /** Something was just written to the outbox: look now rather than at the next poll. */
  notify(): void {
    this.pending = true;
    for (const wake of this.sleepers) wake();
  }

  private concurrency(): number {
    // SQLite transactions are serialised anyway: a second loop would only wait.
    return this.options.dataSource.options.type === 'postgres'
      ? (this.options.concurrency ?? 2)
      : 1;
  }

  /** Stops after publishing everything that is publishable now (bounded by `timeoutMs`). */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (!this.running) return;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.options.driver.isConnected()) {
      if ((await this.publishRound()) === 0) break;
    }
    this.running = false;
    for (const wake of this.sleepers) wake();
    await Promise.all(this.loops);
  }

  /** Publishes one batch; returns how many rows were sent. Exposed for tests and tools. */
  async publishRound(): Promise<number> {
    const { dataSource, driver } = this.options;
    return withTransaction(dataSource, async (runner) => {
      const rows = await claimRows(runner.manager, this.options.batchSize ?? 500);
      if (rows.length === 0) return 0;
      const messages = rows.map(toOutboundMessage);
      await driver.publish(messages);
      await markSent(runner.manager, rows);
      this.options.onPublished?.(messages);
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pending = false;
      let sent = 0;
      try {
        sent = await this.publishRound();
        if (this.failures > 0) this.options.logger.info('outbox relay publishing again');
        this.failures = 0;
      } catch (error) {
        this.failures++;
        if (this.failures === 1) {
          this.options.logger.warn(
            { err: (error as Error).message },
            'outbox relay paused; rows kept',
          );
        }
      }
      if (!this.running) break;
      if (this.failures > 0) await this.sleep(this.backoff(), false);
      else if (sent === 0 && !this.pending) await this.sleep(this.options.idlePollMs ?? 200, true);
    }
  }

  private backoff(): number {
    const base = this.options.failureBackoffMs ?? 250;
    return Math.min(10_000, base * 2 ** Math.min(this.failures - 1, 6));
  }

  private sleep(ms: number, wakeOnNotify: boolean): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        if (!wakeOnNotify && this.running) return;
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.sleepers.delete(wake);
        resolve();
      }, ms);
      this.sleepers.add(wake);
    });
  }
}

async function claimRows(manager: EntityManager, limit: number): Promise<OutboxRow[]> {
  const dialect = dialectOf(manager);
  const columns = 'id, message_id, exchange, routing_key, subject, body, headers, created_at';
  if (dialect === 'sqlite') {
    // One process, one connection, transactions queued: nothing else can claim these rows.
    return manager.query(
      `SELECT ${columns} FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ${params(dialect, 1, 1)}`,
      [limit],
    );
  }
  const claimed: OutboxRow[] = await manager.query(
    `SELECT ${columns} FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return claimed.length === 0 ? claimed : keepSubjectPrefixes(manager, claimed);
}

/**
 * With several relays, SKIP LOCKED can hand this relay a later row of a subject while another
 * relay holds an earlier one. Publish, per subject, only the rows that are exactly the earliest
 * unsent ones; the rest stay for a later round. The check reads committed state after the claim,
 * so whichever relay holds a subject's earliest row publishes first.
 */
async function keepSubjectPrefixes(
  manager: EntityManager,
  claimed: OutboxRow[],
): Promise<OutboxRow[]> {
  const mine = new Set(claimed.map((row) => String(row.id)));
  const subjects = [...new Set(claimed.map((row) => row.subject))];
  const unsent: { id: string; subject: string }[] = await manager.query(
    `SELECT id, subject FROM outbox WHERE sent_at IS NULL AND subject = ANY($1) AND id <= $2 ORDER BY id`,
    [subjects, claimed[claimed.length - 1].id],
  );
  const blocked = new Set<string>();
  for (const row of unsent) {
    if (!mine.has(String(row.id))) blocked.add(row.subject);
    else if (blocked.has(row.subject)) mine.delete(String(row.id));
  }
  return claimed.filter((row) => mine.has(String(row.id)));
}

async function markSent(manager: EntityManager, rows: readonly OutboxRow[]): Promise<void> {
  const dialect: Dialect = dialectOf(manager);
  const ids = rows.map((row) => row.id);
  await manager.query(
    `UPDATE outbox SET sent_at = ${params(dialect, 1, 1)} WHERE id IN (${params(dialect, 2, ids.length)})`,
    [timestampValue(dialect, new Date()), ...ids],
  );
}

function toOutboundMessage(row: OutboxRow): OutboundMessage {
  const { [CORRELATION_ID]: correlationId, ...headers } = JSON.parse(row.headers) as MessageHeaders;
  return {
    exchange: row.exchange,
    routingKey: row.routing_key,
    body: Buffer.from(row.body),
    properties: {
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      messageId: row.message_id,
      correlationId: typeof correlationId === 'string' ? correlationId : row.message_id,
      type: row.routing_key,
      timestamp: Math.floor(Date.now() / 1000),
      persistent: true,
      headers,
    },
  };
}
