import { AuditLog } from '@threadline/audit';
import { createDataSource, initializeDatabase } from '@threadline/persistence';
import { createTestDatabase, type TestDatabase } from '@threadline/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createMemoryIo, ExitCode } from '../../apps/threadline/src/cli/cli-io';
import { runCli } from '../../apps/threadline/src/cli/program';

/**
 * The audit log on the real PostgreSQL: concurrent appends serialized into one chain, the
 * append-only trigger, and `threadline audit verify` clean, then naming an UPDATE, a DELETE and
 * a reorder done in SQL by a superuser who switched the triggers off.
 */
let database: TestDatabase;
let dataSource: DataSource;

beforeEach(async () => {
  database = await createTestDatabase('threadline_audit');
  dataSource = createDataSource({ url: database.url, poolSize: 8 });
  await initializeDatabase(dataSource);
});

afterEach(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await database?.drop();
});

async function appendEntries(count: number): Promise<void> {
  for (let n = 1; n <= count; n += 1) {
    await dataSource.transaction((manager) =>
      AuditLog.append(manager, {
        actor: { id: 'qa.jones', kind: 'user' },
        action: n % 2 === 0 ? 'hold.released' : 'hold.placed',
        subject: `HOLD-${n}`,
        reason: `reason ${n}`,
        causeEventId: `event-${n}`,
        detail: { n, ncr: { id: `NC-${n}`, severity: 'major' } },
      }),
    );
  }
}

/** SQL as the superuser, with the append-only triggers switched off for the session. */
async function tamper(...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function auditVerify(): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = createMemoryIo('', { DATABASE_URL: database.url });
  const code = await runCli(['audit', 'verify'], output.io);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

describe('audit log on PostgreSQL', () => {
  it('serializes concurrent appends into one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, n) =>
        dataSource.transaction(async (manager) => {
          await manager.query('SELECT pg_sleep(0.005)');
          return AuditLog.append(manager, {
            actor: { id: `service-${n % 3}`, kind: 'service' },
            action: 'disposition.recorded',
            subject: `NC-${n}`,
          });
        }),
      ),
    );
    const entries = await AuditLog.query(dataSource, { limit: 100 });
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 24 }, (_, n) => n + 1));
    expect(new Set(entries.map((entry) => entry.subject)).size).toBe(24);
    expect(await AuditLog.verify(dataSource)).toMatchObject({ ok: true, checked: 24 });
  });

  it('appends in a transaction of its own when given a manager outside one', async () => {
    await AuditLog.append(dataSource.manager, {
      actor: { id: 'orchestrator', kind: 'service' },
      action: 'config.loaded',
      subject: 'config/orchestrator.yaml',
    });
    expect(await AuditLog.verify(dataSource)).toMatchObject({ ok: true, checked: 1 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE through its trigger', async () => {
    await appendEntries(2);
    for (const statement of [
      `UPDATE "audit_entry" SET "reason" = 'x'`,
      `DELETE FROM "audit_entry" WHERE "seq" = 1`,
      `TRUNCATE "audit_entry"`,
    ]) {
      await expect(dataSource.query(statement)).rejects.toThrow(/audit_entry is append-only/);
    }
    expect(await AuditLog.verify(dataSource)).toMatchObject({ ok: true, checked: 2 });
  });

  it('threadline audit verify: exit 0 on an untouched log, printing the head', async () => {
    await appendEntries(5);
    const [fifth] = await AuditLog.query(dataSource, { afterSeq: 4 });
    const result = await auditVerify();
    expect(result).toMatchObject({ code: ExitCode.ok, stderr: '' });
    expect(result.stdout).toContain('audit log intact: 5 entries checked');
    expect(result.stdout).toContain(`head: seq 5, hash ${fifth.hash}`);
  });

  it('threadline audit verify: exit 1 naming an entry changed by an UPDATE', async () => {
    await appendEntries(5);
    await tamper(`UPDATE "audit_entry" SET "reason" = 'approved by the manager' WHERE "seq" = 3`);
    const result = await auditVerify();
    expect(result.code).toBe(ExitCode.problemsFound);
    expect(result.stdout).toContain('audit log BROKEN at entry 3 (altered)');
    expect(result.stdout).toContain('entry 3 (hold.placed on HOLD-3 by user qa.jones');
    expect(result.stdout).toContain('2 entries before it are intact');
  });

  it('threadline audit verify: exit 1 naming an entry changed in its JSON detail', async () => {
    await appendEntries(5);
    await tamper(
      `UPDATE "audit_entry" SET "detail" = jsonb_set("detail", '{ncr,severity}', '"minor"') WHERE "seq" = 4`,
    );
    const result = await auditVerify();
    expect(result.code).toBe(ExitCode.problemsFound);
    expect(result.stdout).toContain('audit log BROKEN at entry 4 (altered)');
  });

  it('threadline audit verify: exit 1 naming an entry removed by a DELETE', async () => {
    await appendEntries(5);
    await tamper(`DELETE FROM "audit_entry" WHERE "seq" = 2`);
    const result = await auditVerify();
    expect(result.code).toBe(ExitCode.problemsFound);
    expect(result.stdout).toContain('audit log BROKEN at entry 2 (deleted)');
    expect(result.stdout).toContain('entry 2 is missing (deleted): the log jumps to entry 3');
  });

  it('threadline audit verify: exit 1 naming entries reordered in SQL', async () => {
    await appendEntries(5);
    await tamper(
      `UPDATE "audit_entry" SET "seq" = -1 WHERE "seq" = 3`,
      `UPDATE "audit_entry" SET "seq" = 3 WHERE "seq" = 4`,
      `UPDATE "audit_entry" SET "seq" = 4 WHERE "seq" = -1`,
    );
    const result = await auditVerify();
    expect(result.code).toBe(ExitCode.problemsFound);
    expect(result.stdout).toContain('audit log BROKEN at entry 3 (reordered)');
    expect(result.stdout).toContain('now stored as 4');
  });

  it('threadline audit verify --head: exit 1 naming entries removed from the end since', async () => {
    await appendEntries(5);
    const first = await auditVerify();
    const head = /keep (\d+:[0-9a-f]{64}) for --head/.exec(first.stdout)![1];
    await tamper(`DELETE FROM "audit_entry" WHERE "seq" = 5`);
    expect((await auditVerify()).code).toBe(ExitCode.ok);
    const output = createMemoryIo('', { DATABASE_URL: database.url });
    expect(await runCli(['audit', 'verify', '--head', head], output.io)).toBe(
      ExitCode.problemsFound,
    );
    expect(output.stdout()).toContain('audit log BROKEN at entry 5 (deleted)');
    const bad = createMemoryIo('', { DATABASE_URL: database.url });
    expect(await runCli(['audit', 'verify', '--head', '5:abc'], bad.io)).toBe(ExitCode.failed);
    expect(bad.stderr()).toContain('--head must be <seq>:<hash> as verify prints it');
  });

  it('threadline audit verify --json: the verification as JSON', async () => {
    await appendEntries(3);
    await tamper(`DELETE FROM "audit_entry" WHERE "seq" = 1`);
    const output = createMemoryIo('', { DATABASE_URL: database.url });
    expect(await runCli(['audit', 'verify', '--json'], output.io)).toBe(ExitCode.problemsFound);
    expect(JSON.parse(output.stdout())).toEqual({
      ok: false,
      checked: 0,
      head: null,
      firstBad: {
        seq: 1,
        problem: 'deleted',
        message: expect.stringContaining('entry 1 is missing'),
      },
    });
  });
});
