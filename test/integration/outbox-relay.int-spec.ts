import { MessagingRuntime, OutboxRelay, type OutboundMessage } from '@threadline/messaging';
import {
  TEST_AMQP_URL,
  conformanceLogger,
  createTestDatabase,
  eventually,
  nonconformanceRaised,
  type TestDatabase,
} from '@threadline/testing';

/**
 * The relay on the real PostgreSQL and RabbitMQ: several relays together publish each row once and
 * keep each subject in order; a row that commits late is not skipped.
 */
describe('outbox relay (PostgreSQL + RabbitMQ)', () => {
  let database: TestDatabase;
  let runtime: MessagingRuntime;

  beforeAll(async () => {
    database = await createTestDatabase('threadline_relay');
    runtime = await MessagingRuntime.create({
      amqpUrl: TEST_AMQP_URL,
      database: { url: database.url },
      logger: conformanceLogger,
      relay: false,
    });
    await runtime.start();
  });

  afterAll(async () => {
    await runtime?.stop();
    await database?.drop();
  });

  const relay = (published: OutboundMessage[], batchSize: number) =>
    new OutboxRelay({
      dataSource: runtime.dataSource,
      driver: runtime.driver,
      logger: conformanceLogger,
      batchSize,
      idlePollMs: 10,
      onPublished: (messages) => published.push(...messages),
    });

  it('publishes every row exactly once and each subject in order with two relays at once', async () => {
    const subjects = Array.from({ length: 20 }, (_, i) => `NCR-${String(i).padStart(6, '0')}`);
    const events = Array.from({ length: 2_000 }, (_, i) =>
      nonconformanceRaised({ subject: subjects[i % subjects.length] }),
    );
    await runtime.publisher.publish(...events);
    const published: OutboundMessage[] = [];
    const relays = [relay(published, 37), relay(published, 53)];
    relays.forEach((r) => r.start());
    await eventually(() => published.length >= events.length, 'every row published', 60_000);
    await Promise.all(relays.map((r) => r.stop()));

    const ids = published.map((m) => m.properties.messageId);
    expect(new Set(ids).size).toBe(events.length);
    expect(ids).toHaveLength(events.length);
    const rows: { id: string; message_id: string }[] = await runtime.dataSource.query(
      'SELECT id, message_id FROM outbox ORDER BY id',
    );
    const idOf = new Map(rows.map((r) => [r.message_id, Number(r.id)]));
    const insertionOrder = events.map((e) => idOf.get(e.id)!);
    expect(insertionOrder).toEqual([...insertionOrder].sort((a, b) => a - b));
    for (const subject of subjects) {
      const expected = events.filter((e) => e.subject === subject).map((e) => e.id);
      const actual = published
        .filter((m) => (JSON.parse(m.body.toString()) as { subject: string }).subject === subject)
        .map((m) => m.properties.messageId);
      expect(actual).toEqual(expected);
    }
    const unsent: { n: string }[] = await runtime.dataSource.query(
      'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL',
    );
    expect(Number(unsent[0].n)).toBe(0);
  });

  it('does not skip a row whose transaction commits after later rows were published', async () => {
    const published: OutboundMessage[] = [];
    const worker = relay(published, 100);
    const late = nonconformanceRaised({ subject: 'NCR-LATE-1' });
    const early = nonconformanceRaised({ subject: 'NCR-EARLY-1' });
    const slow = runtime.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    await runtime.publisher.publishIn(slow.manager, late); // takes the lower id, not yet visible
    await runtime.publisher.publish(early); // higher id, committed now
    worker.start();
    await eventually(
      () => published.some((m) => m.properties.messageId === early.id),
      'the early row',
    );
    expect(published.some((m) => m.properties.messageId === late.id)).toBe(false);
    await slow.commitTransaction();
    await slow.release();
    await eventually(
      () => published.some((m) => m.properties.messageId === late.id),
      'the late row',
    );
    await worker.stop();
  });

  it('keeps rows while the broker refuses them and publishes them once it accepts again', async () => {
    const published: OutboundMessage[] = [];
    const event = nonconformanceRaised();
    // A relay whose broker is not started: every round fails, nothing is marked sent.
    const offline = await MessagingRuntime.create({
      amqpUrl: 'amqp://guest:guest@127.0.0.1:1', // nothing listens on port 1
      database: { url: database.url },
      logger: conformanceLogger,
      relay: false,
    });
    const stuck = new OutboxRelay({
      dataSource: offline.dataSource,
      driver: offline.driver,
      logger: conformanceLogger,
      failureBackoffMs: 20,
    });
    await runtime.publisher.publish(event);
    stuck.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stuck.stop(100);
    await offline.dataSource.destroy();
    const rows: { sent_at: Date | null }[] = await runtime.dataSource.query(
      'SELECT sent_at FROM outbox WHERE message_id = $1',
      [event.id],
    );
    expect(rows).toEqual([{ sent_at: null }]);
    const worker = relay(published, 100);
    worker.start();
    await eventually(
      () => published.some((m) => m.properties.messageId === event.id),
      'the kept row',
    );
    await worker.stop();
  });
});
