import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  EVENTS_EXCHANGE,
  Header,
  MessagingRuntime,
  consumerQueueNames,
  startService,
  type DeadLetter,
} from '@threadline/messaging';
import pino from 'pino';
import { eventually, nonconformanceRaised, workOrderCreate } from '../event-builders';
import {
  ConformanceModule,
  EFFECTS_TABLE_SQL,
  ListenerModule,
  script,
} from './conformance-service';

export interface ConformanceTransport {
  readonly name: string;
  /** Creates a runtime on a fresh database; `amqpUrl` undefined means the in-memory broker. */
  createRuntime(options: {
    retryPolicy: { delaysMs: number[]; maxAttempts: number };
  }): Promise<MessagingRuntime>;
  /** Cuts the runtime's broker connection as a network failure would; the runtime must recover. */
  dropConnection(runtime: MessagingRuntime): Promise<void>;
  /** Removes what the run left behind (databases, queues). */
  cleanup(queues: string[]): Promise<void>;
}

const RETRY = { delaysMs: [50, 100, 150], maxAttempts: 4 };

/**
 * The behaviour every transport must show, run unchanged against RabbitMQ + PostgreSQL and the
 * in-memory broker + SQLite: delivery, idempotency, validation and routing failures, retry
 * tiers, attempt limits, permanent failures, transactional publishing, volume, and re-drive.
 */
export function describeTransportConformance(transport: ConformanceTransport): void {
  describe(`transport conformance: ${transport.name}`, () => {
    const service = `conformance-${randomUUID().slice(0, 8)}`;
    const listener = `${service}-listener`;
    const queue = consumerQueueNames(service, 'events', RETRY.delaysMs);
    const listenerQueue = consumerQueueNames(listener, 'events', RETRY.delaysMs);
    const commandQueue = consumerQueueNames(service, 'commands', RETRY.delaysMs);
    let runtime: MessagingRuntime;
    const apps: INestMicroservice[] = [];

    beforeAll(async () => {
      runtime = await transport.createRuntime({ retryPolicy: RETRY });
      await runtime.dataSource.query(EFFECTS_TABLE_SQL);
      await runtime.start();
      apps.push(
        await startService(
          { name: service, module: ConformanceModule, description: 'test' },
          runtime,
        ),
      );
      apps.push(
        await startService(
          { name: listener, module: ListenerModule, description: 'test' },
          runtime,
        ),
      );
    });

    afterAll(async () => {
      for (const app of apps) await app.close();
      await runtime?.stop();
      await transport.cleanup(
        [queue, listenerQueue, commandQueue].flatMap((q) => [
          q.queue,
          q.deadLetterQueue,
          ...q.retryQueues.map((r) => r.queue),
        ]),
      );
    });

    const effects = async (key: string, consumer = 'subject'): Promise<{ attempt: number }[]> => {
      const postgres = runtime.dataSource.options.type === 'postgres';
      return runtime.dataSource.query(
        `SELECT attempt FROM conformance_effect WHERE consumer = ${postgres ? '$1' : '?'} AND idempotency_key = ${postgres ? '$2' : '?'}`,
        [consumer, key],
      );
    };
    /** Keys with an effect, and effect rows in all, among `keys` (both must match). */
    const effectCounts = async (keys: readonly string[]) => {
      const postgres = runtime.dataSource.options.type === 'postgres';
      const placeholders = keys.map((_, i) => (postgres ? `$${i + 1}` : '?')).join(',');
      const rows: { distinctKeys: string | number; total: string | number }[] =
        await runtime.dataSource.query(
          `SELECT COUNT(DISTINCT idempotency_key) AS "distinctKeys", COUNT(*) AS total
             FROM conformance_effect WHERE idempotency_key IN (${placeholders})`,
          [...keys],
        );
      return { distinct: Number(rows[0].distinctKeys), total: Number(rows[0].total) };
    };
    const deadLetters = () => runtime.driver.peekDeadLetters(queue.deadLetterQueue, 1_000);
    const deadLetterFor = async (predicate: (letter: DeadLetter) => boolean) =>
      (await deadLetters()).find(predicate);
    const awaitDeadLetter = async (messageId: string): Promise<DeadLetter> => {
      await eventually(
        async () => (await deadLetterFor((l) => l.messageId === messageId)) !== undefined,
        `dead letter ${messageId}`,
      );
      return (await deadLetterFor((l) => l.messageId === messageId))!;
    };
    const publishRaw = (
      body: string,
      routingKey = 'quality.nonconformance.raised',
      exchange = EVENTS_EXCHANGE,
    ) =>
      runtime.driver.publish([
        {
          exchange,
          routingKey,
          body: Buffer.from(body),
          properties: {
            contentType: CLOUDEVENTS_CONTENT_TYPE,
            messageId: randomUUID(),
            correlationId: 'conformance',
            type: routingKey,
            timestamp: Math.floor(Date.now() / 1000),
            persistent: true,
            headers: {},
          },
        },
      ]);

    it('delivers a valid event to its handler exactly once', async () => {
      const event = nonconformanceRaised();
      await runtime.publisher.publish(event);
      await eventually(
        async () => (await effects(event.idempotencykey)).length === 1,
        'the handler effect',
      );
      await eventually(
        async () => (await runtime.driver.queueDepth(queue.queue)) === 0,
        'queue drained',
      );
      expect(await effects(event.idempotencykey)).toEqual([{ attempt: 1 }]);
    });

    it('applies two messages with the same idempotencykey once', async () => {
      const first = nonconformanceRaised();
      const second = nonconformanceRaised({ key: first.idempotencykey });
      await runtime.publisher.publish(first, second);
      const marker = nonconformanceRaised();
      await runtime.publisher.publish(marker);
      await eventually(
        async () => (await effects(marker.idempotencykey)).length === 1,
        'a later message',
      );
      expect(await effects(first.idempotencykey)).toHaveLength(1);
    });

    it.each([
      ['not JSON', '{"specversion": "1.0", ', 'not valid JSON'],
      [
        'an unknown type',
        JSON.stringify(
          nonconformanceRaised({
            type: 'quality.nonconformance.exploded',
            dataschema: 'urn:threadline:schema:quality.nonconformance.exploded:1',
          }),
        ),
        '/type',
      ],
      [
        'an unknown major',
        JSON.stringify(
          nonconformanceRaised({
            dataschema: 'urn:threadline:schema:quality.nonconformance.raised:9',
          }),
        ),
        '/dataschema',
      ],
      [
        'data breaking its schema',
        JSON.stringify(nonconformanceRaised({ data: { ncrId: 'NCR-1' } })),
        '/data',
      ],
    ])('dead-letters %s at once with x-error-kind validation', async (_what, body, mentions) => {
      await publishRaw(body);
      await eventually(
        async () => (await deadLetterFor((l) => l.body.toString() === body)) !== undefined,
        'the dead letter',
      );
      const letter = (await deadLetterFor((l) => l.body.toString() === body))!;
      expect(letter.headers[Header.ErrorKind]).toBe('validation');
      expect(String(letter.headers[Header.ErrorMessage])).toContain(mentions);
      expect(letter.headers[Header.OriginalQueue]).toBe(queue.queue);
      expect(letter.headers[Header.Attempts]).toBe(1);
      expect(letter.headers[Header.FirstFailedAt]).toEqual(expect.any(String));
    });

    it('dead-letters a message no handler of the queue accepts as unroutable', async () => {
      const event = nonconformanceRaised({
        type: 'quality.nonconformance.closed',
        dataschema: 'urn:threadline:schema:quality.nonconformance.closed:1',
        data: { ncrId: 'NCR-000123', closedAt: new Date().toISOString() },
      });
      await publishRaw(JSON.stringify(event), queue.queue, '');
      await eventually(
        async () =>
          (await deadLetterFor(
            (l) => l.messageId !== '' && l.body.toString().includes(event.id),
          )) !== undefined,
        'the dead letter',
      );
      const letter = (await deadLetterFor((l) => l.body.toString().includes(event.id)))!;
      expect(letter.headers[Header.ErrorKind]).toBe('unroutable');
    });

    it('retries a transient failure through the delay tiers, then applies it once', async () => {
      const event = nonconformanceRaised();
      script.set(event.idempotencykey, { kind: 'fail-transiently', times: 2 });
      await runtime.publisher.publish(event);
      await eventually(
        async () => (await effects(event.idempotencykey)).length === 1,
        'success on attempt 3',
      );
      // Failed attempts rolled back their effects with them: only the third attempt remains.
      expect(await effects(event.idempotencykey)).toEqual([{ attempt: 3 }]);
    });

    it('dead-letters with max-attempts once the attempts are spent', async () => {
      const event = nonconformanceRaised();
      script.set(event.idempotencykey, { kind: 'fail-transiently', times: 99 });
      await runtime.publisher.publish(event);
      const letter = await awaitDeadLetter(event.id);
      expect(letter.headers[Header.ErrorKind]).toBe('max-attempts');
      expect(letter.headers[Header.Attempts]).toBe(RETRY.maxAttempts);
      expect(String(letter.headers[Header.ErrorMessage])).toContain('flaky on attempt 4');
      expect(await effects(event.idempotencykey)).toEqual([]);
    });

    it('dead-letters a permanent failure at once, without retrying', async () => {
      const event = nonconformanceRaised();
      script.set(event.idempotencykey, { kind: 'fail-permanently' });
      await runtime.publisher.publish(event);
      const letter = await awaitDeadLetter(event.id);
      expect(letter.headers[Header.ErrorKind]).toBe('handler');
      expect(letter.headers[Header.Attempts]).toBe(1);
    });

    it('publishes from a handler only when the handler commits', async () => {
      const committed = nonconformanceRaised();
      const rolledBack = nonconformanceRaised();
      script.set(committed.idempotencykey, { kind: 'publish' });
      script.set(rolledBack.idempotencykey, { kind: 'publish-then-fail' });
      await runtime.publisher.publish(rolledBack, committed);
      const holdKey = (id: string) => `erp:HOLD-${id.slice(0, 8)}:placed`;
      await eventually(
        async () => (await effects(holdKey(committed.id), 'listener')).length === 1,
        'the follow-up event',
      );
      await eventually(
        async () => (await deadLetterFor((l) => l.messageId === rolledBack.id)) !== undefined,
        'the failure',
      );
      expect(await effects(holdKey(rolledBack.id), 'listener')).toEqual([]);
    });

    it('handles a burst of 500 messages, each once', async () => {
      const events = Array.from({ length: 500 }, () => nonconformanceRaised());
      await runtime.publisher.publish(...events);
      const keys = events.map((e) => e.idempotencykey);
      await eventually(
        async () => (await effectCounts(keys)).distinct === 500,
        'all 500 effects',
        30_000,
      );
      expect(await effectCounts(keys)).toEqual({ distinct: 500, total: 500 });
    });

    it('dead-letters a failed command and reports it as integration.command.failed', async () => {
      const command = workOrderCreate();
      await runtime.publisher.publish(command);
      const inDlq = async () =>
        (await runtime.driver.peekDeadLetters(commandQueue.deadLetterQueue, 100)).find(
          (l) => l.messageId === command.id,
        );
      await eventually(async () => (await inDlq()) !== undefined, 'the command in its DLQ');
      expect((await inDlq())!.headers[Header.ErrorKind]).toBe('handler');
      const reportKey = `threadline:${command.id}:failed`;
      await eventually(
        async () => (await effects(reportKey, 'failures')).length === 1,
        'the failure report',
      );
      expect(await effects(command.idempotencykey, 'command')).toEqual([]);
    });

    it('loses nothing and applies nothing twice through a dropped connection', async () => {
      const events = Array.from({ length: 300 }, () => nonconformanceRaised());
      const keys = events.map((e) => e.idempotencykey);
      const counts = () => effectCounts(keys);
      await runtime.publisher.publish(...events.slice(0, 150));
      await eventually(async () => (await counts()).distinct >= 50, 'the first effects');
      await transport.dropConnection(runtime);
      await runtime.publisher.publish(...events.slice(150));
      await eventually(
        async () => (await counts()).distinct === 300,
        'all 300 effects after recovery',
        60_000,
      );
      expect(await counts()).toEqual({ distinct: 300, total: 300 });
      expect(runtime.driver.isConnected()).toBe(true);
    });

    it('re-drives a dead letter with a fresh attempt count', async () => {
      const event = nonconformanceRaised();
      script.set(event.idempotencykey, { kind: 'fail-permanently' });
      await runtime.publisher.publish(event);
      await eventually(
        async () => (await deadLetterFor((l) => l.messageId === event.id)) !== undefined,
        'the dead letter',
      );
      script.set(event.idempotencykey, { kind: 'ok' });
      const moved = await runtime.driver.redrive(
        queue.deadLetterQueue,
        (l) => l.messageId === event.id,
      );
      expect(moved).toBe(1);
      await eventually(
        async () => (await effects(event.idempotencykey)).length === 1,
        'the re-driven message applied',
      );
      expect(await effects(event.idempotencykey)).toEqual([{ attempt: 1 }]);
      expect(await deadLetterFor((l) => l.messageId === event.id)).toBeUndefined();
    });
  });
}

export const conformanceLogger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
