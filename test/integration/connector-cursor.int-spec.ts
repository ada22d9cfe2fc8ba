import { CursorStore } from '@threadline/connector-sdk';
import { OutboxMessage, createDataSource, initializeDatabase } from '@threadline/persistence';
import { createTestDatabase, type TestDatabase } from '@threadline/testing';
import type { DataSource } from 'typeorm';

let database: TestDatabase;
let dataSource: DataSource;
let store: CursorStore;

beforeAll(async () => {
  database = await createTestDatabase('threadline_cursor');
  dataSource = createDataSource({ url: database.url, poolSize: 4 });
  await initializeDatabase(dataSource);
  store = new CursorStore(dataSource);
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await database?.drop();
});

/** One poll: the events read go to the outbox and the cursor moves, in one transaction. */
async function publishBatch(
  source: DataSource,
  cursorStore: CursorStore,
  stream: string,
  messageIds: string[],
  position: string,
  failBeforeCommit = false,
): Promise<void> {
  await source.transaction(async (manager) => {
    for (const messageId of messageIds) {
      await manager.getRepository(OutboxMessage).insert({
        messageId,
        exchange: 'threadline.events',
        routingKey: 'quality.nonconformance.raised',
        subject: 'NC-000123',
        body: '{}',
        headers: '{}',
      });
    }
    await cursorStore.advance(manager, 'qms', stream, position);
    if (failBeforeCommit) throw new Error('crash before commit');
  });
}

async function outboxIds(source: DataSource, prefix: string): Promise<string[]> {
  const rows = await source.getRepository(OutboxMessage).find({ order: { id: 'ASC' } });
  return rows.map((row) => row.messageId).filter((id) => id.startsWith(prefix));
}

describe('CursorStore on PostgreSQL', () => {
  it('creates the cursor on the first advance and moves it on the next', async () => {
    expect(await store.get('qms', 'first')).toBeUndefined();
    await publishBatch(dataSource, store, 'first', ['first-1'], '2026-05-14T08:00:00Z|NC-1');
    expect(await store.get('qms', 'first')).toBe('2026-05-14T08:00:00Z|NC-1');
    await publishBatch(dataSource, store, 'first', ['first-2'], '2026-05-14T09:00:00Z|NC-7');
    expect(await store.get('qms', 'first')).toBe('2026-05-14T09:00:00Z|NC-7');
    expect(await store.get('qms', 'other')).toBeUndefined();
  });

  it('leaves cursor and outbox unchanged when the transaction rolls back', async () => {
    await publishBatch(dataSource, store, 'rollback', ['rollback-1'], 'token-1');
    await expect(
      publishBatch(dataSource, store, 'rollback', ['rollback-2'], 'token-2', true),
    ).rejects.toThrow('crash before commit');

    expect(await store.get('qms', 'rollback')).toBe('token-1');
    expect(await outboxIds(dataSource, 'rollback-')).toEqual(['rollback-1']);
  });

  it('resumes after a restart from the last committed position', async () => {
    await publishBatch(dataSource, store, 'restart', ['restart-1'], 'token-1');
    await expect(
      publishBatch(dataSource, store, 'restart', ['restart-2'], 'token-2', true),
    ).rejects.toThrow();

    const restarted = createDataSource({ url: database.url, poolSize: 2 });
    await initializeDatabase(restarted);
    try {
      const restartedStore = new CursorStore(restarted);
      expect(await restartedStore.get('qms', 'restart')).toBe('token-1');
      await publishBatch(restarted, restartedStore, 'restart', ['restart-2'], 'token-2');
      expect(await restartedStore.get('qms', 'restart')).toBe('token-2');
      expect(await outboxIds(restarted, 'restart-')).toEqual(['restart-1', 'restart-2']);
    } finally {
      await restarted.destroy();
    }
  });

  it('refuses to advance outside a transaction', async () => {
    await expect(store.advance(dataSource.manager, 'qms', 'loose', 'x')).rejects.toThrow(
      /advance must run inside the transaction/,
    );
    expect(await store.get('qms', 'loose')).toBeUndefined();
  });
});
