import {
  DlqAction,
  EventLogEntry,
  InboxEntry,
  OutboxMessage,
  POSTGRES_MIGRATIONS,
  createDataSource,
  initializeDatabase,
} from '@threadline/persistence';
import { createTestDatabase, type TestDatabase } from '@threadline/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

let database: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = createDataSource({ url: database.url, poolSize: 4 });
  await initializeDatabase(dataSource);
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await database?.drop();
});

function outboxRow(messageId: string, subject = 'NCR-1'): Partial<OutboxMessage> {
  return {
    messageId,
    exchange: 'threadline.events',
    routingKey: 'quality.nonconformance.raised',
    subject,
    body: `{"id":"${messageId}"}`,
    headers: '{}',
  };
}

describe('PostgreSQL schema', () => {
  it('has applied every PostgreSQL migration, and a second run applies none', async () => {
    const executed = await dataSource.query<
      Array<{
        name: string;
      }>
    >('SELECT name FROM migrations ORDER BY id');
    expect(executed.map((row) => row.name)).toEqual(POSTGRES_MIGRATIONS.map((m) => new m().name));
    expect(await initializeDatabase(dataSource)).toEqual([]);
  });

  it('creates the tables with timestamptz, jsonb and bigint where the entities need them', async () => {
    const columns = await dataSource.query<
      Array<{ table_name: string; column_name: string; data_type: string }>
    >(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name IN ('outbox', 'inbox', 'event_log', 'dlq_action')`,
    );
    const typeOf = (table: string, column: string) =>
      columns.find((c) => c.table_name === table && c.column_name === column)?.data_type;

    expect(new Set(columns.map((c) => c.table_name))).toEqual(
      new Set(['outbox', 'inbox', 'event_log', 'dlq_action']),
    );
    expect(typeOf('outbox', 'id')).toBe('bigint');
    expect(typeOf('outbox', 'created_at')).toBe('timestamp with time zone');
    expect(typeOf('event_log', 'body')).toBe('jsonb');
    expect(typeOf('event_log', 'time')).toBe('timestamp with time zone');
    expect(typeOf('dlq_action', 'id')).toBe('uuid');
  });

  it('indexes only unsent outbox rows in the partial index', async () => {
    const indexes = await dataSource.query<Array<{ indexname: string; indexdef: string }>>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`,
    );
    const definition = (name: string) => indexes.find((i) => i.indexname === name)?.indexdef;

    expect(definition('ix_outbox_unsent')).toMatch(
      /ON public\.outbox USING btree \(id\) WHERE \(sent_at IS NULL\)$/,
    );
    expect(definition('uq_outbox_message_id')).toMatch(/^CREATE UNIQUE INDEX/);
    expect(definition('ix_outbox_subject_id')).toContain('(subject, id)');
    expect(definition('ix_event_log_correlation_time')).toContain('(correlation_id, "time")');
    expect(definition('ix_event_log_subject_time')).toContain('(subject, "time")');
    expect(definition('ix_event_log_type_time')).toContain('(type, "time")');
  });

  it('leaves nothing for the schema builder to change: migrations match the entities', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});

describe('PostgreSQL entities', () => {
  it('round-trips an outbox message with a string bigint id', async () => {
    const repository = dataSource.getRepository(OutboxMessage);
    const sentAt = new Date('2026-05-14T08:30:00.123Z');
    const saved = await repository.save(repository.create({ ...outboxRow('rt-outbox'), sentAt }));
    const loaded = await repository.findOneByOrFail({ id: saved.id });

    expect(typeof loaded.id).toBe('string');
    expect(loaded).toMatchObject({ ...outboxRow('rt-outbox'), attempts: 0, lastError: null });
    expect(loaded.sentAt?.toISOString()).toBe(sentAt.toISOString());
    expect(loaded.createdAt).toBeInstanceOf(Date);
    await expect(repository.insert(outboxRow('rt-outbox'))).rejects.toThrow(/uq_outbox_message_id/);
  });

  it('round-trips an inbox entry and rejects a second one for the same consumer and key', async () => {
    const repository = dataSource.getRepository(InboxEntry);
    const entry = {
      consumer: 'orchestrator',
      idempotencyKey: 'qms:NCR-1:raised',
      messageId: 'evt-1',
    };
    await repository.insert(entry);
    await expect(repository.insert({ ...entry, messageId: 'evt-2' })).rejects.toThrow(/pk_inbox/);
    const loaded = await repository.findOneByOrFail({
      consumer: entry.consumer,
      idempotencyKey: entry.idempotencyKey,
    });
    expect(loaded.messageId).toBe('evt-1');
    expect(loaded.processedAt).toBeInstanceOf(Date);
  });

  it('round-trips an event log entry with its body queryable as jsonb', async () => {
    const repository = dataSource.getRepository(EventLogEntry);
    const body = { specversion: '1.0', id: 'evt-log-1', data: { ncrId: 'NCR-7', lotIds: ['L1'] } };
    const time = new Date('2026-05-14T08:30:00.250Z');
    await repository.insert({
      id: 'evt-log-1',
      type: 'quality.nonconformance.raised',
      subject: 'NCR-7',
      correlationId: 'corr-7',
      causationId: 'cmd-1',
      time,
      plant: 'PLANT_01',
      source: '/plants/PLANT_01/qms/qms-main',
      idempotencyKey: 'qms:NCR-7:raised',
      body,
    });

    const loaded = await repository.findOneByOrFail({ id: 'evt-log-1' });
    expect(loaded.body).toEqual(body);
    expect(loaded.time.toISOString()).toBe(time.toISOString());
    const [row] = await dataSource.query<Array<{ ncr: string }>>(
      `SELECT body->'data'->>'ncrId' AS ncr FROM event_log WHERE id = $1`,
      ['evt-log-1'],
    );
    expect(row.ncr).toBe('NCR-7');
  });

  it('round-trips a DLQ action with a generated UUID', async () => {
    const repository = dataSource.getRepository(DlqAction);
    const saved = await repository.save(
      repository.create({
        queue: 'threadline.orchestrator.events.dlq',
        action: 'redrive',
        messageIds: ['evt-1', 'evt-2'],
        count: 2,
        actor: 'operator:alice',
        reason: 'fixed mapping',
      }),
    );
    const loaded = await repository.findOneByOrFail({ id: saved.id });
    expect(loaded).toMatchObject({
      messageIds: ['evt-1', 'evt-2'],
      count: 2,
      reason: 'fixed mapping',
    });
    expect(loaded.at).toBeInstanceOf(Date);
  });
});

describe('PostgreSQL outbox claiming', () => {
  it('lets two relays claim disjoint unsent rows with FOR UPDATE SKIP LOCKED', async () => {
    const repository = dataSource.getRepository(OutboxMessage);
    await repository.insert(
      ['lock-1', 'lock-2', 'lock-3', 'lock-4'].map((id) => outboxRow(id, 'LOCK')),
    );
    await repository.update({ messageId: 'lock-1' }, { sentAt: new Date() });

    const claim = `SELECT message_id FROM outbox WHERE sent_at IS NULL AND subject = 'LOCK'
                   ORDER BY id LIMIT 2 FOR UPDATE SKIP LOCKED`;
    const first = dataSource.createQueryRunner();
    const second = dataSource.createQueryRunner();
    try {
      await first.startTransaction();
      await second.startTransaction();
      const firstClaim = (await first.query(claim)) as Array<{ message_id: string }>;
      const secondClaim = (await second.query(claim)) as Array<{ message_id: string }>;

      expect(firstClaim.map((row) => row.message_id)).toEqual(['lock-2', 'lock-3']);
      expect(secondClaim.map((row) => row.message_id)).toEqual(['lock-4']);
    } finally {
      await first.rollbackTransaction();
      await second.rollbackTransaction();
      await first.release();
      await second.release();
    }
  });
});

describe('concurrent start', () => {
  it('applies each migration once when several processes initialize the same database', async () => {
    const shared = await createTestDatabase();
    const sources = [1, 2, 3].map(() => createDataSource({ url: shared.url, poolSize: 2 }));
    try {
      const applied = await Promise.all(sources.map((source) => initializeDatabase(source)));
      expect(applied.flat()).toEqual(POSTGRES_MIGRATIONS.map((m) => new m().name));
    } finally {
      await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
      await shared.drop();
    }
  });
});

describe('createTestDatabase', () => {
  it('gives each caller its own database and drops it', async () => {
    const other = await createTestDatabase();
    expect(other.name).not.toBe(database.name);
    await other.drop();
    await other.drop();

    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const result = await admin.query('SELECT datname FROM pg_database WHERE datname = $1', [
        other.name,
      ]);
      expect(result.rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
