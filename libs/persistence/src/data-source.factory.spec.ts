import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Column,
  Entity,
  PrimaryColumn,
  type DataSource,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import {
  SQLITE_BUSY_TIMEOUT_MS,
  createDataSource,
  initializeDatabase,
} from './data-source.factory';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';

interface SqliteMasterRow {
  name: string;
  tbl_name: string;
  sql: string;
}

async function sqliteObjects(dataSource: DataSource, kind: 'table' | 'index') {
  const rows: SqliteMasterRow[] = await dataSource.query(
    `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL`,
    [kind],
  );
  return rows;
}

describe('createDataSource on SQLite in memory', () => {
  let dataSource: DataSource;

  beforeEach(() => {
    dataSource = createDataSource({ sqlitePath: ':memory:' });
  });

  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });

  it('bounds the SQLite page cache to 2 MiB, or the size asked for', async () => {
    await dataSource.initialize();
    expect(await dataSource.query('PRAGMA cache_size')).toEqual([{ cache_size: -2048 }]);
    const larger = createDataSource({ sqlitePath: ':memory:', sqliteCacheKib: 8192 });
    await larger.initialize();
    try {
      expect(await larger.query('PRAGMA cache_size')).toEqual([{ cache_size: -8192 }]);
    } finally {
      await larger.destroy();
    }
  });

  it('refuses a page cache size that is not a whole number of KiB', () => {
    expect(() => createDataSource({ sqlitePath: ':memory:', sqliteCacheKib: -1 })).toThrow(
      'sqliteCacheKib must be a whole number of KiB (0 or more), got -1',
    );
  });

  it('never synchronizes the schema from the entities', () => {
    expect(dataSource.options.synchronize).toBe(false);
    expect(dataSource.options.migrationsRun).toBe(false);
  });

  it('applies the SQLite migrations once', async () => {
    const firstRun = await initializeDatabase(dataSource);
    expect(firstRun).toEqual(SQLITE_MIGRATIONS.map((migration) => new migration().name));
    expect(await initializeDatabase(dataSource)).toEqual([]);
  });

  it('creates the messaging tables', async () => {
    await initializeDatabase(dataSource);
    const tables = (await sqliteObjects(dataSource, 'table')).map((table) => table.name);
    expect(tables).toEqual(expect.arrayContaining(['outbox', 'inbox', 'event_log', 'dlq_action']));
  });

  it('creates the indexes, with the outbox index limited to unsent rows', async () => {
    await initializeDatabase(dataSource);
    const indexes = new Map((await sqliteObjects(dataSource, 'index')).map((i) => [i.name, i]));
    expect([...indexes.keys()].sort()).toEqual([
      'ix_api_key_created',
      'ix_audit_entry_actor_seq',
      'ix_audit_entry_at',
      'ix_audit_entry_subject_seq',
      'ix_dlq_action_queue_at',
      'ix_event_log_correlation_time',
      'ix_event_log_subject_time',
      'ix_event_log_type_time',
      'ix_flow_instance_correlation',
      'ix_flow_instance_state_updated',
      'ix_flow_timer_due',
      'ix_flow_wait_flow',
      'ix_lot_event_lot_time',
      'ix_lot_event_order_time',
      'ix_lot_event_ref',
      'ix_lot_hold_lot',
      'ix_lot_hold_ncr',
      'ix_lot_link_to',
      'ix_lot_material',
      'ix_open_work_order_asset',
      'ix_order_lot_lot',
      'ix_outbox_subject_id',
      'ix_outbox_unsent',
      'ix_shipment_line_lot',
      'ix_trace_gap_status_detected',
      'uq_flow_instance_type_subject',
      'uq_flow_step_flow_seq',
      'uq_lot_lot_id',
      'uq_outbox_message_id',
      'uq_trace_gap_rule_subject',
    ]);
    expect(indexes.get('ix_outbox_unsent')?.sql).toMatch(/\("id"\) WHERE "sent_at" IS NULL$/);
    expect(indexes.get('uq_outbox_message_id')?.sql).toMatch(/^CREATE UNIQUE INDEX/);
    expect(indexes.get('ix_event_log_correlation_time')?.sql).toContain(
      '("correlation_id", "time")',
    );
  });

  it('leaves nothing for the schema builder to change: migrations match the entities', async () => {
    await initializeDatabase(dataSource);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has a drift check that notices a schema differing from the entities', async () => {
    await initializeDatabase(dataSource);
    await dataSource.query('DROP INDEX "ix_outbox_unsent"');
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query).join('\n')).toContain('ix_outbox_unsent');
  });
});

describe('createDataSource on a SQLite file', () => {
  let directory: string;
  let dataSource: DataSource | undefined;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'threadline-persistence-'));
  });

  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  it('creates missing folders and turns on WAL, the busy timeout and foreign keys', async () => {
    dataSource = createDataSource({ sqlitePath: join(directory, 'nested', 'threadline.sqlite') });
    await initializeDatabase(dataSource);

    const pragma = async (name: string) =>
      (await dataSource!.query<Array<Record<string, unknown>>>(`PRAGMA ${name}`))[0];
    expect(await pragma('journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await pragma('busy_timeout')).toEqual({ timeout: SQLITE_BUSY_TIMEOUT_MS });
    expect(await pragma('foreign_keys')).toEqual({ foreign_keys: 1 });
  });

  it('keeps the migrated schema across restarts', async () => {
    const path = join(directory, 'threadline.sqlite');
    dataSource = createDataSource({ sqlitePath: path });
    expect(await initializeDatabase(dataSource)).toHaveLength(SQLITE_MIGRATIONS.length);
    await dataSource.destroy();

    dataSource = createDataSource({ sqlitePath: path });
    expect(await initializeDatabase(dataSource)).toEqual([]);
  });
});

/** Stands for an entity of another library (flows, genealogy ...) declaring PostgreSQL types. */
@Entity({ name: 'sample_flow' })
class SampleFlow {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'state', type: 'jsonb' })
  state!: { step: string; attempts: number };
}

class CreateSampleFlow1900000000000 implements MigrationInterface {
  name = 'CreateSampleFlow1900000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sample_flow" ("id" varchar(64) PRIMARY KEY NOT NULL, "due_at" datetime NOT NULL, "state" text NOT NULL)`,
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sample_flow"`);
  }
}

describe('createDataSource with entities and migrations of other libraries', () => {
  it('runs their migrations after its own and maps their PostgreSQL column types on SQLite', async () => {
    const dataSource = createDataSource({
      sqlitePath: ':memory:',
      entities: [SampleFlow],
      migrations: [CreateSampleFlow1900000000000],
    });
    try {
      const applied = await initializeDatabase(dataSource);
      expect(applied.at(-1)).toBe('CreateSampleFlow1900000000000');
      expect(applied).toHaveLength(SQLITE_MIGRATIONS.length + 1);

      const dueAt = new Date('2026-05-14T08:30:00.500Z');
      const repository = dataSource.getRepository(SampleFlow);
      await repository.insert({ id: 'flow-1', dueAt, state: { step: 'erp-hold', attempts: 2 } });
      const loaded = await repository.findOneByOrFail({ id: 'flow-1' });
      expect(loaded.dueAt.toISOString()).toBe(dueAt.toISOString());
      expect(loaded.state).toEqual({ step: 'erp-hold', attempts: 2 });
      expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('createDataSource options', () => {
  it('rejects a url that is not PostgreSQL, naming the field', () => {
    expect(() => createDataSource({ url: 'mysql://db/threadline' })).toThrow(
      /url must use the postgres/,
    );
  });

  it('configures PostgreSQL with the pool size and PostgreSQL migrations', () => {
    const dataSource = createDataSource({ url: 'postgres://db/threadline', poolSize: 3 });
    expect(dataSource.options).toMatchObject({ type: 'postgres', poolSize: 3, synchronize: false });
    expect(dataSource.options.migrations).toEqual(POSTGRES_MIGRATIONS);
  });
});
