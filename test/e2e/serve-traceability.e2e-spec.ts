import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@threadline/testing';
import { serveProcess } from '../support/serve-process';

const serve = (env: Record<string, string>) => serveProcess(['traceability'], env);

describe('threadline serve traceability (separate process, embedded default)', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-serve-trace-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('refuses an invalid configuration: exit 1, the file, the field and the rule named', async () => {
    const file = join(workspace, 'bad.yaml');
    writeFileSync(file, 'apiVersion: threadline/v1\nkind: Traceability\ngapSweepSeconds: 0\n');
    const run = serve({
      TRACEABILITY_CONFIG: file,
      THREADLINE_SQLITE_PATH: join(workspace, 'bad.sqlite'),
      METRICS_PORT: '0',
      TRACEABILITY_PORT: '0',
    });
    expect(await run.exited).toBe(1);
    const { stderr } = run.output();
    expect(stderr).toContain(`${file}: gapSweepSeconds: must be >= 1`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('serves the query API and answers 404 for a lot it does not know', async () => {
    const run = serve({
      THREADLINE_SQLITE_PATH: join(workspace, 'ok.sqlite'),
      METRICS_PORT: '0',
      TRACEABILITY_PORT: '0',
      LOG_LEVEL: 'info',
    });
    try {
      let url = '';
      await eventually(
        () => {
          const match = /"url":"http:\/\/[^"]*:(\d+)"/.exec(run.output().stdout);
          if (match) url = `http://127.0.0.1:${match[1]}`;
          return url !== '';
        },
        'the traceability API to listen',
        30_000,
      );
      const response = await fetch(`${url}/api/v1/lots/NOPE`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        code: 'LOT_NOT_FOUND',
        message: "lot 'NOPE' is not known",
      });
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  });
});
