import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AuditLog } from '@threadline/audit';
import type { MessagingRuntime } from '@threadline/messaging';
import { createDataSource, initializeDatabase } from '@threadline/persistence';
import { auditConfigurationLoaded, configurationFilesOf } from './config-audit';

const ERP_YAML =
  'apiVersion: threadline/v1\nkind: Connector\nspec:\n  system: erp\n  target:\n    auth:\n      password: ${ERP_PASSWORD}\n';

describe('config.loaded at service start', () => {
  let directory: string;
  let env: Record<string, string>;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'config-audit-'));
    mkdirSync(join(directory, 'connectors'));
    writeFileSync(join(directory, 'connectors', 'erp.yaml'), ERP_YAML);
    writeFileSync(join(directory, 'orchestrator.yaml'), 'timerPollSeconds: 2\n');
    env = {
      CONNECTORS_DIR: join(directory, 'connectors'),
      ORCHESTRATOR_CONFIG: join(directory, 'orchestrator.yaml'),
      TRACEABILITY_CONFIG: join(directory, 'absent.yaml'),
      ERP_PASSWORD: 'erp-secret-in-env-only',
    };
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('finds the files the named services read, as they find them', () => {
    expect(configurationFilesOf(['event-log', 'connector-erp', 'orchestrator'], env)).toEqual([
      { service: 'connector-erp', file: join(directory, 'connectors', 'erp.yaml') },
      { service: 'orchestrator', file: join(directory, 'orchestrator.yaml') },
    ]);
    // No file at the place a service looks: it started on its defaults, nothing to record.
    expect(configurationFilesOf(['traceability'], env)).toEqual([]);
    expect(configurationFilesOf(['traceability'], {})).toEqual([
      { service: 'traceability', file: resolve('config/traceability.yaml') },
    ]);
  });

  it('appends one entry per file with the hash of its content, never the content', async () => {
    const dataSource = createDataSource({ sqlitePath: ':memory:' });
    await initializeDatabase(dataSource);
    try {
      const runtime = { dataSource } as unknown as MessagingRuntime;
      expect(await auditConfigurationLoaded(runtime, ['connector-erp', 'orchestrator'], env)).toBe(
        2,
      );
      const entries = await AuditLog.query(dataSource);
      expect(
        entries.map(({ actor, action, subject, detail }) => ({ actor, action, subject, detail })),
      ).toEqual([
        {
          actor: { id: 'connector-erp', kind: 'service' },
          action: 'config.loaded',
          subject: join(directory, 'connectors', 'erp.yaml'),
          detail: {
            service: 'connector-erp',
            sha256: createHash('sha256').update(ERP_YAML).digest('hex'),
          },
        },
        {
          actor: { id: 'orchestrator', kind: 'service' },
          action: 'config.loaded',
          subject: join(directory, 'orchestrator.yaml'),
          detail: {
            service: 'orchestrator',
            sha256: createHash('sha256').update('timerPollSeconds: 2\n').digest('hex'),
          },
        },
      ]);
      const stored = JSON.stringify(await dataSource.query('SELECT * FROM audit_entry'));
      expect(stored).not.toContain('ERP_PASSWORD');
      expect(stored).not.toContain(env.ERP_PASSWORD);
    } finally {
      await dataSource.destroy();
    }
  });
});
