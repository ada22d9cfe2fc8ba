import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { consumerQueueNames, DEFAULT_RETRY_POLICY, EVENTS_EXCHANGE } from '@threadline/messaging';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  nonconformanceRaised,
  type TestDatabase,
  type TestVhost,
} from '@threadline/testing';
import { Client } from 'pg';

/**
 * `threadline serve event-log` as its own process on RabbitMQ and PostgreSQL, fed by an outside
 * publisher the way a connector in another process would: events land in event_log once each, a
 * poison message lands in the DLQ, /metrics shows both, and SIGTERM shuts down in order.
 */
describe('threadline serve event-log (separate process, RabbitMQ + PostgreSQL)', () => {
  const root = join(__dirname, '..', '..');
  const names = consumerQueueNames('event-log', 'events', DEFAULT_RETRY_POLICY.delaysMs);
  let database: TestDatabase;
  // A vhost of its own: no other run's consumer of threadline.event-log.events can take its events.
  let vhost: TestVhost;
  let child: ChildProcess;
  const logLines: Record<string, unknown>[] = [];
  let metricsPort = 0;
  let stderrText = '';
  /** What the child said last, for a failure message. */
  const childTail = () =>
    `\nlast log lines: ${JSON.stringify(logLines.slice(-5))}\nstderr: ${stderrText.slice(-2000)}`;
  /** Fails with `what` and the child's last words instead of hanging until Jest's timeout. */
  const within = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: no answer within ${ms} ms${childTail()}`)),
        ms,
      );
    });
    try {
      return await Promise.race([promise, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  // Trust auth ignores passwords, so these are real-looking secrets the logs must never show.
  const DATABASE_PASSWORD = 'db-pw-7Hq2x';
  const withPassword = (url: string) => url.replace('postgres@', `postgres:${DATABASE_PASSWORD}@`);

  beforeAll(async () => {
    database = await createTestDatabase('threadline_serve');
    vhost = await createTestVhost('serve');
    child = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'apps/threadline/src/main.ts',
        'serve',
        'event-log',
        '--metrics-port',
        '0',
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          AMQP_URL: vhost.url,
          DATABASE_URL: withPassword(database.url),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      stderrText += chunk.toString();
    });
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines)
        if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
    });
    await eventually(
      () => logLines.some((l) => l.msg === 'threadline serving'),
      'the service to start',
      60_000,
    );
    metricsPort = Number(logLines.find((l) => l.msg === 'threadline serving')!.metricsPort);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await vhost?.drop();
    await database?.drop();
  });

  const metrics = async () =>
    (
      await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(5_000) })
    ).text();

  it('records events once, dead-letters poison, reports both, and stops cleanly', async () => {
    const events = Array.from({ length: 50 }, () => nonconformanceRaised());
    const repeat = { ...nonconformanceRaised(), idempotencykey: events[0].idempotencykey };
    const poison = { ...nonconformanceRaised(), data: { ncrId: 'NCR-1' } };
    const publish = async () => {
      const connection = await connect(vhost.url);
      const channel = await connection.createConfirmChannel();
      for (const event of [...events, repeat, poison]) {
        channel.publish(EVENTS_EXCHANGE, event.type, Buffer.from(JSON.stringify(event)), {
          persistent: true,
          messageId: event.id,
          contentType: 'application/cloudevents+json',
        });
      }
      await channel.waitForConfirms();
      await connection.close();
    };
    await within(publish(), 20_000, 'publishing the 52 events with confirms');

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      // `repeat` is events[0] published again under another message id: one of the two is the
      // event, whichever the service committed first (it consumes two batches at a time, so
      // the order between them is not given). The other is the duplicate.
      const ids = [...events, repeat].map((e) => e.id);
      const recorded = async () =>
        (
          await client.query<{ id: string; idempotency_key: string }>(
            'SELECT id, idempotency_key FROM event_log WHERE id = ANY($1)',
            [ids],
          )
        ).rows;
      let seen: { id: string; idempotency_key: string }[] = [];
      // A process of its own on a shared machine: generous bounds, the assertion is what arrives.
      await eventually(
        async () => (seen = await recorded()).length >= 50,
        'the 50 events in event_log',
        45_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message} (${seen.length} recorded)${childTail()}`);
      });
      expect(seen).toHaveLength(50);
      const keys = seen.map((row) => row.idempotency_key);
      expect(keys.sort()).toEqual(events.map((e) => e.idempotencykey).sort());
      const first = seen.filter((row) => row.id === events[0].id || row.id === repeat.id);
      expect(first).toHaveLength(1);
    } finally {
      await client.end();
    }

    await eventually(
      async () =>
        /threadline_dlq_depth\{queue="threadline\.event-log\.events\.dlq"\} 1\b/.test(
          await metrics(),
        ),
      'DLQ depth 1 on /metrics',
      45_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}${childTail()}`);
    });
    const text = await metrics();
    expect(text).toMatch(/threadline_messages_consumed_total\{[^}]*outcome="dlq"[^}]*\} 1\b/);
    expect(text).toMatch(
      /threadline_messages_consumed_total\{[^}]*outcome="duplicate"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/threadline_broker_connection_up\{[^}]*\} 1\b/);
    const deadLettered = logLines.find((l) => l.msg === 'message dead-lettered');
    expect(deadLettered).toMatchObject({ errorKind: 'validation', queue: names.queue });

    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await within(exited, 30_000, 'the service to exit after SIGTERM')).toBe(0);
    expect(
      logLines.some((l) => l.msg === 'shutting down: draining consumers, flushing the outbox'),
    ).toBe(true);
    const everything = JSON.stringify(logLines);
    expect(everything).not.toContain(DATABASE_PASSWORD);
    expect(everything).not.toContain('guest:guest');
  }, 180_000); // the waits above end first, each naming what did not happen
});
