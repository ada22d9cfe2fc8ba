import type { DataSource } from 'typeorm';
import { createDataSource, initializeDatabase } from '../data-source.factory';
import { DlqAction } from './dlq-action.entity';
import { EventLogEntry } from './event-log-entry.entity';
import { InboxEntry } from './inbox-entry.entity';
import { OutboxMessage } from './outbox-message.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function outboxMessage(messageId: string): Partial<OutboxMessage> {
  return {
    messageId,
    exchange: 'threadline.events',
    routingKey: 'quality.nonconformance.raised',
    subject: 'NCR-000123',
    body: '{"specversion":"1.0","id":"' + messageId + '"}',
    headers: '{"x-idempotency-key":"qms:NCR-000123:raised"}',
  };
}

describe('entities on SQLite', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = createDataSource({ sqlitePath: ':memory:' });
    await initializeDatabase(dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it('round-trips an outbox message with a string id in insertion order and defaults', async () => {
    const repository = dataSource.getRepository(OutboxMessage);
    const first = await repository.save(repository.create(outboxMessage('evt-1')));
    const second = await repository.save(repository.create(outboxMessage('evt-2')));

    const loaded = await repository.findOneByOrFail({ messageId: 'evt-2' });
    expect(typeof loaded.id).toBe('string');
    expect(loaded.id).toBe(second.id);
    expect(BigInt(second.id)).toBeGreaterThan(BigInt(first.id));
    expect(loaded).toMatchObject({
      ...outboxMessage('evt-2'),
      sentAt: null,
      attempts: 0,
      lastError: null,
    });
    expect(loaded.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(loaded.createdAt.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('keeps the exact body text and millisecond timestamps of an outbox message', async () => {
    const repository = dataSource.getRepository(OutboxMessage);
    const sentAt = new Date('2026-05-14T08:30:00.123Z');
    const body = '{ "specversion" : "1.0",\n "data": {"b":1,"a":2} }';
    const saved = await repository.save(
      repository.create({ ...outboxMessage('evt-3'), body, sentAt }),
    );

    const loaded = await repository.findOneByOrFail({ id: saved.id });
    expect(loaded.body).toBe(body);
    expect(loaded.sentAt?.toISOString()).toBe(sentAt.toISOString());
  });

  it('refuses a second outbox row with the same message id', async () => {
    const repository = dataSource.getRepository(OutboxMessage);
    await repository.insert(outboxMessage('evt-dup'));
    await expect(repository.insert(outboxMessage('evt-dup'))).rejects.toThrow(/UNIQUE constraint/);
  });

  it('keys the inbox by consumer and idempotency key', async () => {
    const repository = dataSource.getRepository(InboxEntry);
    const entry = {
      consumer: 'orchestrator',
      idempotencyKey: 'qms:NCR-1:raised',
      messageId: 'evt-1',
    };
    await repository.insert(entry);
    await repository.insert({ ...entry, consumer: 'traceability' });
    await expect(repository.insert({ ...entry, messageId: 'evt-2' })).rejects.toThrow(
      /UNIQUE constraint/,
    );

    const loaded = await repository.findOneByOrFail({
      consumer: 'orchestrator',
      idempotencyKey: entry.idempotencyKey,
    });
    expect(loaded.messageId).toBe('evt-1');
    expect(loaded.processedAt).toBeInstanceOf(Date);
  });

  it('round-trips an event log entry and stores its body as JSON text', async () => {
    const repository = dataSource.getRepository(EventLogEntry);
    const body = {
      specversion: '1.0',
      id: 'evt-9',
      data: { ncrId: 'NCR-9', lotIds: ['L1', 'L2'] },
    };
    const time = new Date('2026-05-14T08:30:00.250Z');
    await repository.insert({
      id: 'evt-9',
      type: 'quality.nonconformance.raised',
      subject: 'NCR-9',
      correlationId: 'corr-1',
      causationId: null,
      time,
      plant: 'PLANT_01',
      source: '/plants/PLANT_01/qms/qms-main',
      idempotencyKey: 'qms:NCR-9:raised',
      body,
    });

    const loaded = await repository.findOneByOrFail({ id: 'evt-9' });
    expect(loaded.body).toEqual(body);
    expect(loaded.time.toISOString()).toBe(time.toISOString());
    expect(loaded.causationId).toBeNull();
    expect(loaded.recordedAt).toBeInstanceOf(Date);

    const [raw] = await dataSource.query<Array<{ body: unknown }>>(
      `SELECT body FROM event_log WHERE id = 'evt-9'`,
    );
    expect(typeof raw.body).toBe('string');
    expect(JSON.parse(raw.body as string)).toEqual(body);
  });

  it('orders event log times correctly as stored text', async () => {
    const repository = dataSource.getRepository(EventLogEntry);
    const base = {
      type: 't',
      subject: 's',
      correlationId: 'c',
      plant: 'P',
      source: '/s',
      idempotencyKey: 'k',
      body: {},
    };
    await repository.insert({ ...base, id: 'late', time: new Date('2026-05-14T10:00:00.000Z') });
    await repository.insert({ ...base, id: 'early', time: new Date('2026-05-14T09:59:59.999Z') });
    const ordered = await repository.find({
      where: { correlationId: 'c' },
      order: { time: 'ASC' },
    });
    expect(ordered.map((entry) => entry.id)).toEqual(['early', 'late']);
  });

  it('gives a DLQ action a UUID and keeps its message ids as a JSON array', async () => {
    const repository = dataSource.getRepository(DlqAction);
    const saved = await repository.save(
      repository.create({
        queue: 'threadline.orchestrator.events.dlq',
        action: 'redrive',
        messageIds: ['evt-1', 'evt-2'],
        count: 2,
        actor: 'operator:alice',
        reason: null,
      }),
    );
    expect(saved.id).toMatch(UUID);

    const loaded = await repository.findOneByOrFail({ id: saved.id });
    expect(loaded).toMatchObject({
      messageIds: ['evt-1', 'evt-2'],
      count: 2,
      actor: 'operator:alice',
    });
    expect(loaded.at).toBeInstanceOf(Date);
    const [raw] = await dataSource.query<
      Array<{
        message_ids: string;
      }>
    >('SELECT message_ids FROM dlq_action');
    expect(raw.message_ids).toBe('["evt-1","evt-2"]');
  });

  it('keeps a DLQ action id chosen by the caller', async () => {
    const repository = dataSource.getRepository(DlqAction);
    const id = '0b0e3c1e-8a55-4d5e-9d6f-3f1c2a7b9e10';
    await repository.save(
      repository.create({
        id,
        queue: 'q.dlq',
        action: 'redrive',
        messageIds: [],
        count: 0,
        actor: 'cli',
        reason: 'test',
      }),
    );
    expect(await repository.countBy({ id })).toBe(1);
  });
});
