import { createDataSource, initializeDatabase } from '@threadline/persistence';
import type { DataSource } from 'typeorm';
import { GENESIS_HASH, hashAuditEntry } from './audit-entry.model';
import { AuditEntryError } from './audit-log';
import { AuditLog } from './audit-log.facade';
import { canonicalJson } from './canonical';
import { configLoadedEntry, contentHash } from './config-loaded';

const approver = { id: 'qa.jones', kind: 'user' } as const;

async function appendFive(dataSource: DataSource): Promise<void> {
  for (let n = 1; n <= 5; n += 1) {
    await dataSource.transaction((manager) =>
      AuditLog.append(manager, {
        actor: approver,
        action: n % 2 === 0 ? 'hold.released' : 'hold.placed',
        subject: `LOT-${n}`,
        reason: `reason ${n}`,
        causeEventId: `event-${n}`,
        detail: { n, nested: { b: 2, a: [1, 'x'] } },
      }),
    );
  }
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"z":1}]},"b":1}',
    );
  });
});

describe('AuditLog on SQLite', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = createDataSource({ sqlitePath: ':memory:' });
    await initializeDatabase(dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it('chains each entry to the previous one, starting from the genesis hash', async () => {
    await appendFive(dataSource);
    const entries = await AuditLog.query(dataSource);
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i += 1) {
      expect(entries[i].prevHash).toBe(entries[i - 1].hash);
    }
    const { hash, ...unsigned } = entries[2];
    expect(hashAuditEntry(unsigned)).toBe(hash);
    expect(entries[2]).toMatchObject({
      actor: approver,
      action: 'hold.placed',
      subject: 'LOT-3',
      reason: 'reason 3',
      causeEventId: 'event-3',
      detail: { n: 3, nested: { a: [1, 'x'], b: 2 } },
    });
  });

  it('rolls the entry back with the transaction that made the decision', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await AuditLog.append(manager, { actor: approver, action: 'hold.released' });
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow('the decision failed');
    expect(await AuditLog.query(dataSource)).toEqual([]);
  });

  it('verifies an untouched log', async () => {
    await appendFive(dataSource);
    expect(await AuditLog.verify(dataSource)).toEqual({
      ok: true,
      checked: 5,
      head: { seq: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      firstBad: null,
    });
  });

  it('verifies an empty log', async () => {
    expect(await AuditLog.verify(dataSource)).toEqual({
      ok: true,
      checked: 0,
      head: null,
      firstBad: null,
    });
  });

  it('refuses UPDATE and DELETE through its triggers', async () => {
    await appendFive(dataSource);
    await expect(dataSource.query(`UPDATE "audit_entry" SET "reason" = 'x'`)).rejects.toThrow(
      'append-only',
    );
    await expect(dataSource.query(`DELETE FROM "audit_entry"`)).rejects.toThrow('append-only');
  });

  describe('with the triggers dropped', () => {
    beforeEach(async () => {
      await appendFive(dataSource);
      await dataSource.query(`DROP TRIGGER "tr_audit_entry_no_update"`);
      await dataSource.query(`DROP TRIGGER "tr_audit_entry_no_delete"`);
    });

    it('names an altered entry', async () => {
      await dataSource.query(
        `UPDATE "audit_entry" SET "reason" = 'nothing to see' WHERE "seq" = 3`,
      );
      const result = await AuditLog.verify(dataSource);
      expect(result).toMatchObject({
        ok: false,
        checked: 2,
        firstBad: { seq: 3, problem: 'altered' },
      });
      expect(result.firstBad?.message).toContain('entry 3 (hold.placed on LOT-3 by user qa.jones');
    });

    it('names an entry rewritten together with a fresh hash, by the entry chained after it', async () => {
      const [second] = await AuditLog.query(dataSource, { afterSeq: 1, limit: 1 });
      const forged = { ...second, reason: 'forged', hash: undefined };
      delete forged.hash;
      const hash = hashAuditEntry(forged);
      await dataSource.query(
        `UPDATE "audit_entry" SET "reason" = 'forged', "hash" = '${hash}' WHERE "seq" = 2`,
      );
      const result = await AuditLog.verify(dataSource);
      expect(result.firstBad).toMatchObject({ seq: 2, problem: 'altered' });
      expect(result.firstBad?.message).toContain('its hash is not the one entry 3 was chained to');
    });

    it('names a deleted entry', async () => {
      await dataSource.query(`DELETE FROM "audit_entry" WHERE "seq" = 4`);
      const result = await AuditLog.verify(dataSource);
      expect(result.firstBad).toMatchObject({ seq: 4, problem: 'deleted' });
      expect(result.firstBad?.message).toContain('entry 4 is missing');
    });

    it('names the first entry deleted', async () => {
      await dataSource.query(`DELETE FROM "audit_entry" WHERE "seq" IN (1, 2)`);
      expect((await AuditLog.verify(dataSource)).firstBad).toMatchObject({
        seq: 1,
        problem: 'deleted',
        message: expect.stringContaining('entries 1 to 2 are missing'),
      });
    });

    it('finds entries removed from the end against a head noted earlier', async () => {
      const noted = (await AuditLog.verify(dataSource)).head!;
      expect(await AuditLog.verify(dataSource, { expectHead: noted })).toMatchObject({ ok: true });
      await dataSource.query(`DELETE FROM "audit_entry" WHERE "seq" >= 4`);
      // Without the noted head the shorter chain is valid...
      expect(await AuditLog.verify(dataSource)).toMatchObject({ ok: true, checked: 3 });
      // ...with it, the removal is found.
      expect((await AuditLog.verify(dataSource, { expectHead: noted })).firstBad).toEqual({
        seq: 4,
        problem: 'deleted',
        message: `entries 4 to 5 are missing (deleted): the head noted as entry 5 (${noted.hash}) is gone`,
      });
    });

    it('names a head replaced by another entry with the same seq', async () => {
      const noted = (await AuditLog.verify(dataSource)).head!;
      const [last] = await AuditLog.query(dataSource, { afterSeq: 4 });
      const forged = { ...last, reason: 'rewritten' } as Partial<typeof last>;
      delete forged.hash;
      const hash = hashAuditEntry(forged as Parameters<typeof hashAuditEntry>[0]);
      await dataSource.query(
        `UPDATE "audit_entry" SET "reason" = 'rewritten', "hash" = '${hash}' WHERE "seq" = 5`,
      );
      expect(await AuditLog.verify(dataSource)).toMatchObject({ ok: true });
      expect((await AuditLog.verify(dataSource, { expectHead: noted })).firstBad).toMatchObject({
        seq: 5,
        problem: 'altered',
        message: expect.stringContaining('is not the entry noted as head'),
      });
    });

    it('names a reordered entry', async () => {
      await dataSource.query(`UPDATE "audit_entry" SET "seq" = -1 WHERE "seq" = 2`);
      await dataSource.query(`UPDATE "audit_entry" SET "seq" = 2 WHERE "seq" = 3`);
      await dataSource.query(`UPDATE "audit_entry" SET "seq" = 3 WHERE "seq" = -1`);
      const result = await AuditLog.verify(dataSource);
      expect(result.firstBad).toMatchObject({ seq: 2, problem: 'reordered' });
      expect(result.firstBad?.message).toContain('now stored as 3');
    });
  });

  it('filters by subject, actor and time, and pages by sequence number', async () => {
    await appendFive(dataSource);
    await dataSource.transaction((manager) =>
      AuditLog.append(manager, {
        actor: { id: 'orchestrator', kind: 'service' },
        action: 'hold.placed',
        subject: 'LOT-2',
        at: new Date('2030-01-01T00:00:00.000Z'),
      }),
    );
    expect((await AuditLog.query(dataSource, { subject: 'LOT-2' })).map((e) => e.seq)).toEqual([
      2, 6,
    ]);
    expect(
      (await AuditLog.query(dataSource, { actorId: 'orchestrator' })).map((e) => e.seq),
    ).toEqual([6]);
    const late = await AuditLog.query(dataSource, { from: new Date('2029-12-31T23:59:59.999Z') });
    expect(late.map((e) => e.seq)).toEqual([6]);
    const early = await AuditLog.query(dataSource, { to: new Date('2030-01-01T00:00:00.000Z') });
    expect(early.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const page = await AuditLog.query(dataSource, { afterSeq: 2, limit: 2 });
    expect(page.map((e) => e.seq)).toEqual([3, 4]);
  });

  it('refuses an entry with a bad field, naming it', async () => {
    const manager = dataSource.manager;
    await expect(
      AuditLog.append(manager, { actor: { id: '', kind: 'user' }, action: 'hold.placed' }),
    ).rejects.toThrow(new AuditEntryError('actor.id must be a non-empty string'));
    await expect(
      AuditLog.append(manager, { actor: { id: 'a', kind: 'robot' as never }, action: 'x.y' }),
    ).rejects.toThrow("actor.kind must be one of user, apikey, service, system, got 'robot'");
    await expect(
      AuditLog.append(manager, { actor: approver, action: 'Hold Placed' }),
    ).rejects.toThrow(
      "action must be a dotted lower-case name such as hold.released, got 'Hold Placed'",
    );
    await expect(
      AuditLog.append(manager, {
        actor: approver,
        action: 'hold.placed',
        subject: 'x'.repeat(201),
      }),
    ).rejects.toThrow('subject must be at most 200 characters, got 201');
  });

  it('records a configuration by the hash of its content, never the content', async () => {
    const content = 'erp:\n  password: ${ERP_PASSWORD}\n';
    const record = await AuditLog.append(
      dataSource.manager,
      configLoadedEntry({ service: 'connector-erp', file: 'config/erp.yaml', content }),
    );
    expect(record).toMatchObject({
      actor: { id: 'connector-erp', kind: 'service' },
      action: 'config.loaded',
      subject: 'config/erp.yaml',
      detail: { service: 'connector-erp', sha256: contentHash(content) },
    });
    expect(JSON.stringify(record)).not.toContain('password');
  });
});
