import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSchemasDirectory } from '@threadline/schema-registry';
import { createMemoryIo, ExitCode } from './cli-io';
import { runCli } from './program';

const schemasDirectory = findSchemasDirectory();
const workspace = mkdtempSync(join(tmpdir(), 'threadline-cli-compat-'));
const ncrRaised = join('events', 'quality.nonconformance.raised', 'v1.json');

// Documents are edited freely here; the code under test checks their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** A copy of schemas/ with the NCR-raised schema edited. */
function editedCopy(name: string, edit: (schema: Json) => void): string {
  const copy = join(workspace, name);
  cpSync(schemasDirectory, copy, { recursive: true });
  const file = join(copy, ncrRaised);
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  edit(schema);
  writeFileSync(file, JSON.stringify(schema));
  return copy;
}

async function run(argv: string[]) {
  const output = createMemoryIo();
  const code = await runCli(['schemas', 'check-compat', ...argv], output.io);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

describe('threadline schemas check-compat', () => {
  const withoutOrderId = editedCopy('without-order', (schema) => delete schema.properties.orderId);
  const withShift = editedCopy('with-shift', (schema) => {
    schema.properties.shift = { type: 'string', maxLength: 8 };
  });

  it('exits 0 for identical directories', async () => {
    const { code, stdout } = await run([schemasDirectory, schemasDirectory]);
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toBe('compatible: 0 breaking changes, 0 non-breaking changes\n');
  });

  it('exits 1 and lists each breaking change', async () => {
    const { code, stdout } = await run([schemasDirectory, withoutOrderId]);
    expect(code).toBe(ExitCode.problemsFound);
    expect(stdout.split('\n')).toEqual([
      "breaking: quality.nonconformance.raised 1 /orderId field-removed: field 'orderId' removed",
      'incompatible: 1 breaking change, 0 non-breaking changes; ' +
        'publish breaking changes as a new major version beside the old one',
      '',
    ]);
  });

  it('exits 0 for a new optional field, listing it as info', async () => {
    const { code, stdout } = await run([schemasDirectory, withShift]);
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toContain(
      "info: quality.nonconformance.raised 1 /shift optional-field-added: optional field 'shift' added\n",
    );
    expect(stdout).toContain('compatible: 0 breaking changes, 1 non-breaking change\n');
  });

  it('is directional: the reverse of adding an optional field removes a field', async () => {
    const { code } = await run([withShift, schemasDirectory]);
    expect(code).toBe(ExitCode.problemsFound);
  });

  it('prints {compatible, breaking, nonBreaking} with --json', async () => {
    const { code, stdout } = await run(['--json', schemasDirectory, withoutOrderId]);
    expect(code).toBe(ExitCode.problemsFound);
    expect(JSON.parse(stdout)).toEqual({
      compatible: false,
      breaking: [
        {
          type: 'quality.nonconformance.raised',
          major: 1,
          path: '/orderId',
          kind: 'field-removed',
          detail: "field 'orderId' removed",
        },
      ],
      nonBreaking: [],
    });
  });

  it('exits 2 for a directory that does not exist', async () => {
    const missing = join(workspace, 'nope');
    const { code, stdout, stderr } = await run([schemasDirectory, missing]);
    expect(code).toBe(ExitCode.failed);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `threadline: cannot read schema directory ${missing}: no such file or directory\n`,
    );
  });

  it('exits 2 for a file or a directory without schemas', async () => {
    const file = join(workspace, 'file.txt');
    writeFileSync(file, 'x');
    const notDirectory = await run([file, schemasDirectory]);
    expect(notDirectory.code).toBe(ExitCode.failed);
    expect(notDirectory.stderr).toBe(
      `threadline: cannot read schema directory ${file}: not a directory\n`,
    );

    const empty = join(workspace, 'empty');
    mkdirSync(empty);
    const noSchemas = await run([schemasDirectory, empty]);
    expect(noSchemas.code).toBe(ExitCode.failed);
    expect(noSchemas.stderr).toMatch(
      /^threadline: cannot read schema file .*empty\/common\/v1\.json/,
    );
  });
});
