import { AuditLog } from '@threadline/audit';
import { createDataSource, initializeDatabase } from '@threadline/persistence';
import { ApiError } from '@threadline/traceability';
import type { DataSource } from 'typeorm';
import { AuditController } from './audit.controller';

describe('GET /api/v1/audit (AuditController on SQLite)', () => {
  let dataSource: DataSource;
  let controller: AuditController;

  beforeAll(async () => {
    dataSource = createDataSource({ sqlitePath: ':memory:' });
    await initializeDatabase(dataSource);
    controller = new AuditController(dataSource);
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 8, minute));
    const entries = [
      { actor: 'orchestrator', kind: 'service', action: 'hold.requested', subject: 'NC-1', m: 0 },
      { actor: 'alice', kind: 'user', action: 'disposition.refused', subject: 'NC-1', m: 5 },
      { actor: 'bob', kind: 'user', action: 'disposition.recorded', subject: 'NC-1', m: 10 },
      { actor: 'bob', kind: 'user', action: 'hold.released', subject: 'H-1', m: 11 },
      { actor: 'ops', kind: 'user', action: 'dlq.redriven', subject: 'q.dlq', m: 20 },
    ] as const;
    for (const entry of entries) {
      await dataSource.transaction((manager) =>
        AuditLog.append(manager, {
          actor: { id: entry.actor, kind: entry.kind },
          action: entry.action,
          subject: entry.subject,
          reason: 'because',
          at: at(entry.m),
        }),
      );
    }
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const seqs = (page: { items: { seq: number }[] }) => page.items.map((item) => item.seq);

  it('lists every entry in the order appended, with its chain fields', async () => {
    const page = await controller.list({});
    expect(seqs(page)).toEqual([1, 2, 3, 4, 5]);
    expect(page.items[1]).toEqual({
      seq: 2,
      at: '2026-12-01T08:05:00.000Z',
      actor: { id: 'alice', kind: 'user' },
      action: 'disposition.refused',
      subject: 'NC-1',
      reason: 'because',
      causeEventId: null,
      detail: null,
      prevHash: page.items[0].hash,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(page).toMatchObject({ nextCursor: null, next: null });
  });

  it('filters by subject, actor, action and time (from inclusive, to exclusive)', async () => {
    expect(seqs(await controller.list({ subject: 'NC-1' }))).toEqual([1, 2, 3]);
    expect(seqs(await controller.list({ actor: 'bob' }))).toEqual([3, 4]);
    expect(seqs(await controller.list({ action: 'hold.released' }))).toEqual([4]);
    expect(
      seqs(await controller.list({ from: '2026-12-01T08:05:00Z', to: '2026-12-01T08:11:00Z' })),
    ).toEqual([2, 3]);
    expect(seqs(await controller.list({ from: '2026-12-01T09:05:00+01:00' }))).toEqual([
      2, 3, 4, 5,
    ]);
  });

  it('pages with an opaque cursor and a next link keeping the filters', async () => {
    const first = await controller.list({ actor: 'bob', limit: '1' });
    expect(seqs(first)).toEqual([3]);
    expect(first.next).toBe(`/api/v1/audit?actor=bob&limit=1&cursor=${first.nextCursor}`);
    const second = await controller.list({ actor: 'bob', limit: '1', cursor: first.nextCursor });
    expect(seqs(second)).toEqual([4]);
    expect(second.nextCursor).toBeNull();
  });

  it.each([
    [{ who: 'alice' }, 'who'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-12-01T08:00:00' }, 'from'],
    [{ from: '2026-12-01T09:00:00Z', to: '2026-12-01T08:00:00Z' }, 'to'],
    [{ limit: '0' }, 'limit'],
    [{ cursor: 'not-a-cursor!' }, 'cursor'],
    [{ subject: ['a', 'b'] }, 'subject'],
  ])('refuses %j with a 400 naming %s', async (query, field) => {
    const failure: unknown = await controller
      .list(query as Record<string, unknown>)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).getStatus()).toBe(400);
    expect(JSON.stringify((failure as ApiError).getResponse())).toContain(field);
  });
});
