import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxMessage, createDataSource, initializeDatabase } from '@threadline/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { CursorStore } from './cursor.store';

function outboxRow(messageId: string): Partial<OutboxMessage> {
  return {
    messageId,
    exchange: 'threadline.events',
    routingKey: 'quality.nonconformance.raised',
    subject: 'NC-000123',
    body: '{}',
    headers: '{}',
  };
}

/** One poll: the events read go to the outbox and the cursor moves, in one transaction. */
async function publishBatch(
  dataSource: DataSource,
  store: CursorStore,
  messageIds: string[],
  position: string,
  failBeforeCommit = false,
): Promise<void> {
  await dataSource.transaction(async (manager: EntityManager) => {
    for (const messageId of messageIds) {
      await manager.getRepository(OutboxMessage).insert(outboxRow(messageId));
    }
    await store.advance(manager, 'qms', 'nonconformances', position);
    if (failBeforeCommit) throw new Error('crash before commit');
  });
}

describe('CursorStore on SQLite', () => {
  let dataSource: DataSource;
  let store: CursorStore;

  beforeEach(async () => {
    dataSource = createDataSource({ sqlitePath: ':memory:' });
    await initializeDatabase(dataSource);
    store = new CursorStore(dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it('has no position for a stream never read, and keeps streams apart', async () => {
    await publishBatch(dataSource, store, ['evt-1'], '2026-05-14T08:00:00Z|NC-1');
    expect(await store.get('qms', 'nonconformances')).toBe('2026-05-14T08:00:00Z|NC-1');
    expect(await store.get('qms', 'inspection-lots')).toBeUndefined();
    expect(await store.get('mes', 'nonconformances')).toBeUndefined();
  });

  it('advances an existing cursor and stamps the time of the advance', async () => {
    await publishBatch(dataSource, store, ['evt-1'], 'token-1');
    await publishBatch(dataSource, store, ['evt-2'], 'token-2');
    expect(await store.get('qms', 'nonconformances')).toBe('token-2');
    const [cursor] = await dataSource.query<Array<{ updated_at: string }>>(
      `SELECT updated_at FROM connector_cursor WHERE connector = 'qms'`,
    );
    expect(Math.abs(Date.parse(`${cursor.updated_at}Z`) - Date.now())).toBeLessThan(10_000);
  });

  it('leaves cursor and outbox unchanged when the transaction rolls back', async () => {
    await publishBatch(dataSource, store, ['evt-1'], 'token-1');
    await expect(publishBatch(dataSource, store, ['evt-2'], 'token-2', true)).rejects.toThrow(
      'crash before commit',
    );
    expect(await store.get('qms', 'nonconformances')).toBe('token-1');
    expect(await dataSource.getRepository(OutboxMessage).countBy({ messageId: 'evt-2' })).toBe(0);
  });

  it('refuses to advance outside a transaction', async () => {
    await expect(store.advance(dataSource.manager, 'qms', 'nonconformances', 'x')).rejects.toThrow(
      /advance must run inside the transaction that writes the outbox/,
    );
    expect(await store.get('qms', 'nonconformances')).toBeUndefined();
  });

  it('refuses empty or over-long names and an empty position', async () => {
    await expect(store.get('', 'nonconformances')).rejects.toThrow(
      'cursor connector must be 1 to 100 characters, got ""',
    );
    await expect(store.get('qms', 'x'.repeat(101))).rejects.toThrow(
      /cursor stream must be 1 to 100 characters/,
    );
    await expect(
      dataSource.transaction((manager) => store.advance(manager, 'qms', 'nonconformances', '')),
    ).rejects.toThrow('cursor position must be a non-empty string');
  });
});

describe('CursorStore across a restart on a SQLite file', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'threadline-cursor-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('resumes from the last committed position, not from a rolled-back one', async () => {
    const sqlitePath = join(directory, 'threadline.db');
    const before = createDataSource({ sqlitePath });
    await initializeDatabase(before);
    const store = new CursorStore(before);
    await publishBatch(before, store, ['evt-1'], 'token-1');
    await expect(publishBatch(before, store, ['evt-2'], 'token-2', true)).rejects.toThrow();
    await before.destroy();

    const after = createDataSource({ sqlitePath });
    await initializeDatabase(after);
    try {
      expect(await new CursorStore(after).get('qms', 'nonconformances')).toBe('token-1');
      const sent = await after.getRepository(OutboxMessage).find({ order: { id: 'ASC' } });
      expect(sent.map((row) => row.messageId)).toEqual(['evt-1']);
    } finally {
      await after.destroy();
    }
  });
});
