import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The real CLI as a child process (TypeScript run through @swc-node/register) against the
 * hand-written catalog documents of test/fixtures/catalog-docs, whose manifest says which are
 * valid and, for the invalid ones, where the error is.
 */
const root = join(__dirname, '..', '..');
const documents = join(root, 'test', 'fixtures', 'catalog-docs');
const STACK_FRAME = /^\s+at /m;

interface ManifestEntry {
  file: string;
  valid: boolean;
  why: string;
  expectedPath?: string;
}

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const manifest = JSON.parse(
  readFileSync(join(documents, 'manifest.json'), 'utf8'),
) as ManifestEntry[];

function runCli(args: string[], stdin?: string): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join('apps', 'threadline', 'src', 'main.ts'), ...args],
      { cwd: root, env: { ...process.env, THREADLINE_DEBUG: '' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

describe('threadline schemas validate on the catalog documents', () => {
  const results = new Map<string, ProcessResult>();

  // One process per document, started together so the suite stays quick.
  beforeAll(async () => {
    const runs = manifest.map(async (entry) => {
      results.set(entry.file, await runCli(['schemas', 'validate', join(documents, entry.file)]));
    });
    await Promise.all(runs);
  }, 180_000);

  it('has documents of both verdicts', () => {
    expect(manifest.filter((entry) => entry.valid).length).toBeGreaterThan(0);
    expect(manifest.filter((entry) => !entry.valid).length).toBeGreaterThan(0);
  });

  it.each(manifest.filter((entry) => entry.valid).map((entry) => [entry.file, entry] as const))(
    '%s is valid (exit 0)',
    (file, entry) => {
      const result = results.get(file)!;
      const document = JSON.parse(readFileSync(join(documents, file), 'utf8'));
      expect({ file, why: entry.why, ...result }).toEqual({
        file,
        why: entry.why,
        code: 0,
        stdout: `valid: ${document.type} ${document.id}\n`,
        stderr: '',
      });
    },
  );

  it.each(manifest.filter((entry) => !entry.valid).map((entry) => [entry.file, entry] as const))(
    '%s is invalid (exit 1) with an error at the expected path',
    (file, entry) => {
      const result = results.get(file)!;
      expect({ file, code: result.code, stderr: result.stderr }).toEqual({
        file,
        code: 1,
        stderr: '',
      });
      const pointer =
        entry.expectedPath === undefined || entry.expectedPath === '' ? '/' : entry.expectedPath;
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines.some((line) => line.startsWith(`${pointer} `))).toBe(true);
    },
  );
});

describe('threadline CLI as a process', () => {
  it.each([
    [[]],
    [['schemas']],
    [['schemas', 'list']],
    [['schemas', 'validate']],
    [['schemas', 'check-compat']],
  ])(
    'prints help for %j',
    async (command) => {
      const result = await runCli([...command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `Usage: threadline${command.map((part) => ` ${part}`).join('')}`,
      );
    },
    30_000,
  );

  it('names a missing file in one line, exit 2, without stack frames', async () => {
    const result = await runCli(['schemas', 'validate', 'no/such/event.json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'threadline: cannot read no/such/event.json: no such file or directory\n',
    );
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_FRAME);
  }, 30_000);

  it("validates standard input with '-'", async () => {
    const document = readFileSync(
      join(documents, manifest.find((entry) => entry.valid)!.file),
      'utf8',
    );
    const valid = await runCli(['schemas', 'validate', '-'], document);
    expect(valid.code).toBe(0);
    const garbage = await runCli(['schemas', 'validate', '-'], 'not json at all');
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/^threadline: standard input: not valid JSON: .*\n$/);
  }, 30_000);
});
