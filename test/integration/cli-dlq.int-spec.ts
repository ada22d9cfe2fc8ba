import { AuditLog } from '@threadline/audit';
import type { INestMicroservice } from '@nestjs/common';
import { Header, MessagingRuntime, consumerQueueNames, startService } from '@threadline/messaging';
import {
  ConformanceModule,
  EFFECTS_TABLE_SQL,
  TEST_AMQP_URL,
  conformanceLogger,
  conformanceScript,
  createTestDatabase,
  deleteServiceQueues,
  eventually,
  nonconformanceRaised,
  type TestDatabase,
} from '@threadline/testing';
import { randomUUID } from 'node:crypto';
import { runCli } from '../../apps/threadline/src/cli/program';
import { createMemoryIo } from '../../apps/threadline/src/cli/cli-io';

/** `threadline dlq show|redrive|list` against real dead letters on RabbitMQ, recorded in PostgreSQL. */
describe('threadline dlq (RabbitMQ + PostgreSQL)', () => {
  const service = `cli-dlq-${randomUUID().slice(0, 8)}`;
  const retry = { delaysMs: [50], maxAttempts: 2 };
  const names = consumerQueueNames(service, 'events', retry.delaysMs);
  let database: TestDatabase;
  let runtime: MessagingRuntime;
  let app: INestMicroservice;
  let env: Record<string, string | undefined>;

  const cli = async (...argv: string[]) => {
    const memory = createMemoryIo('', env);
    const code = await runCli(argv, memory.io);
    return { code, stdout: memory.stdout(), stderr: memory.stderr() };
  };

  beforeAll(async () => {
    database = await createTestDatabase('threadline_cli_dlq');
    env = {
      AMQP_URL: TEST_AMQP_URL,
      DATABASE_URL: database.url,
      USER: 'qa.engineer',
      LOG_LEVEL: 'silent',
    };
    runtime = await MessagingRuntime.create({
      amqpUrl: TEST_AMQP_URL,
      database: { url: database.url },
      logger: conformanceLogger,
      retryPolicy: retry,
    });
    await runtime.dataSource.query(EFFECTS_TABLE_SQL);
    await runtime.start();
    app = await startService(
      { name: service, module: ConformanceModule, description: 'test' },
      runtime,
    );
  });

  afterAll(async () => {
    await app?.close();
    await runtime?.stop();
    await deleteServiceQueues(service, retry.delaysMs);
    await database?.drop();
  });

  it('shows dead letters with their reason and re-drives the chosen one, on record', async () => {
    const poisoned = nonconformanceRaised();
    const other = nonconformanceRaised();
    conformanceScript.set(poisoned.idempotencykey, { kind: 'fail-permanently' });
    conformanceScript.set(other.idempotencykey, { kind: 'fail-permanently' });
    await runtime.publisher.publish(poisoned, other);
    await eventually(
      async () => (await runtime.driver.queueDepth(names.deadLetterQueue)) === 2,
      'two dead letters',
    );

    const shown = await cli('dlq', 'show', names.deadLetterQueue, '--json');
    expect(shown.code).toBe(0);
    const letters = JSON.parse(shown.stdout) as {
      messageId: string;
      headers: Record<string, unknown>;
    }[];
    expect(letters.map((l) => l.messageId).sort()).toEqual([poisoned.id, other.id].sort());
    expect(letters[0].headers[Header.ErrorKind]).toBe('handler');

    conformanceScript.set(poisoned.idempotencykey, { kind: 'ok' });
    const redriven = await cli(
      'dlq',
      'redrive',
      names.deadLetterQueue,
      '--id',
      poisoned.id,
      '--reason',
      'handler fixed',
    );
    expect(redriven).toMatchObject({
      code: 0,
      stdout: `re-drove 1 message(s) from ${names.deadLetterQueue}\n`,
    });
    await eventually(
      async () => (await runtime.driver.queueDepth(names.deadLetterQueue)) === 1,
      'one left',
    );
    const remaining = await runtime.driver.peekDeadLetters(names.deadLetterQueue, 10);
    expect(remaining.map((l) => l.messageId)).toEqual([other.id]);

    const actions: {
      queue: string;
      action: string;
      message_ids: string;
      count: number;
      actor: string;
      reason: string;
    }[] = await runtime.dataSource.query(
      'SELECT queue, action, message_ids, count, actor, reason FROM dlq_action',
    );
    expect(actions).toEqual([
      {
        queue: names.deadLetterQueue,
        action: 'redrive',
        message_ids: JSON.stringify([poisoned.id]),
        count: 1,
        actor: 'qa.engineer',
        reason: 'handler fixed',
      },
    ]);
    // The same re-drive, in the hash-chained audit log, in the transaction of its record.
    const [dlqAction] = await runtime.dataSource.query('SELECT id FROM dlq_action');
    expect(await AuditLog.query(runtime.dataSource, { action: 'dlq.redriven' })).toEqual([
      expect.objectContaining({
        actor: { id: 'qa.engineer', kind: 'user' },
        subject: names.deadLetterQueue,
        reason: 'handler fixed',
        detail: { dlqActionId: dlqAction.id, moved: 1, messageIds: [poisoned.id] },
      }),
    ]);
    expect(await AuditLog.verify(runtime.dataSource)).toMatchObject({ ok: true });
  });

  it('refuses unclear or impossible requests with exit 2 and one line', async () => {
    expect(await cli('dlq', 'redrive', names.deadLetterQueue)).toMatchObject({
      code: 2,
      stderr: 'threadline: say which messages: --id <messageId...> or --all\n',
    });
    expect(await cli('dlq', 'show', names.queue)).toMatchObject({
      code: 2,
      stderr: `threadline: '${names.queue}' is not a dead-letter queue (names end in .dlq)\n`,
    });
    expect(await cli('dlq', 'show', 'threadline.nobody.events.dlq')).toMatchObject({
      code: 2,
      stderr: "threadline: queue 'threadline.nobody.events.dlq' does not exist\n",
    });
    const { AMQP_URL: _, ...withoutBroker } = env;
    const memory = createMemoryIo('', withoutBroker);
    expect(await runCli(['dlq', 'list'], memory.io)).toBe(2);
    expect(memory.stderr()).toContain('dlq needs AMQP_URL');
  });

  it('lists dead-letter queues with their depth', async () => {
    const listed = await cli('dlq', 'list', names.deadLetterQueue, '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([{ queue: names.deadLetterQueue, depth: 1 }]);
    const table = await cli('dlq', 'list', names.deadLetterQueue);
    expect(table.stdout).toBe(`${names.deadLetterQueue}  1\n`);
  });
});
