import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSchemasDirectory, loadSchemaDirectory } from '@threadline/schema-registry';
import { createMemoryIo, ExitCode } from './cli-io';
import { runCli } from './program';

const schemasDirectory = findSchemasDirectory();
const catalog = loadSchemaDirectory(schemasDirectory);
const workspace = mkdtempSync(join(tmpdir(), 'threadline-cli-'));
const STACK_FRAME = /^\s+at /m;

// Documents are edited freely here; the code under test checks their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** The envelope schema's own example: a valid quality.nonconformance.raised v1 CloudEvent. */
function cloudEvent(): Json {
  return structuredClone((catalog.envelope.examples as Json[])[0]);
}

function writeDocument(name: string, content: unknown): string {
  const file = join(workspace, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function run(argv: string[], stdin = '') {
  const output = createMemoryIo(stdin);
  const code = await runCli(argv, output.io);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

describe('threadline schemas list', () => {
  it('prints one sorted "<type> <major>" line per schema', async () => {
    const { code, stdout } = await run(['schemas', 'list']);
    expect(code).toBe(ExitCode.ok);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(catalog.entries.length);
    expect(lines).toContain('quality.nonconformance.raised 1');
    expect(lines).toContain('erp.inventory.hold.place 1');
    expect([...lines].sort()).toEqual(lines);
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await run(['schemas', 'list', '--json']);
    expect(code).toBe(ExitCode.ok);
    expect(JSON.parse(stdout)).toContainEqual({
      type: 'erp.inventory.hold.place',
      major: 1,
      kind: 'command',
      dataschema: 'urn:threadline:schema:erp.inventory.hold.place:1',
    });
  });

  it('lists another directory with --schemas-dir, majors side by side', async () => {
    const copy = join(workspace, 'with-v2');
    cpSync(schemasDirectory, copy, { recursive: true });
    const folder = join(copy, 'commands', 'mes.line.stop');
    const schema = { ...catalog.entries.find((entry) => entry.type === 'mes.line.stop')!.schema };
    schema.$id = 'urn:threadline:schema:mes.line.stop:2';
    writeFileSync(join(folder, 'v2.json'), JSON.stringify(schema));
    const { stdout } = await run(['schemas', 'list', '--schemas-dir', copy]);
    expect(stdout).toContain('mes.line.stop 1\nmes.line.stop 2\n');
  });

  it('exits 2 with one line naming the file when the directory is not a schema directory', async () => {
    const { code, stderr } = await run(['schemas', 'list', '--schemas-dir', workspace]);
    expect(code).toBe(ExitCode.failed);
    expect(stderr).toMatch(/^threadline: cannot read schema file .*common\/v1\.json: .*\n$/);
  });
});

describe('threadline schemas validate', () => {
  it('exits 0 and names type and id for a valid document', async () => {
    const event = cloudEvent();
    const { code, stdout, stderr } = await run([
      'schemas',
      'validate',
      writeDocument('ok.json', event),
    ]);
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toBe(`valid: quality.nonconformance.raised ${event.id}\n`);
    expect(stderr).toBe('');
  });

  it('exits 1 and prints "<pointer> <message>" per error', async () => {
    const event = cloudEvent();
    event.data.severity = 'severe';
    event.plant = 'p01';
    const { code, stdout } = await run(['schemas', 'validate', writeDocument('bad.json', event)]);
    expect(code).toBe(ExitCode.problemsFound);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toContain('/data/severity must be one of: minor, major, critical');
    expect(lines.find((line) => line.startsWith('/plant '))).toMatch(/pattern/);
  });

  it('shows the root pointer as /', async () => {
    const event = cloudEvent();
    delete event.idempotencykey;
    const { code, stdout } = await run(['schemas', 'validate', writeDocument('root.json', event)]);
    expect(code).toBe(ExitCode.problemsFound);
    expect(stdout).toBe("/ must have required property 'idempotencykey'\n");
  });

  it('reports an unknown type at /type and an unknown major at /dataschema', async () => {
    const unknownType = cloudEvent();
    unknownType.type = 'quality.nonconformance.escalated';
    unknownType.dataschema = 'urn:threadline:schema:quality.nonconformance.escalated:1';
    const typeResult = await run(['schemas', 'validate', writeDocument('type.json', unknownType)]);
    expect(typeResult.code).toBe(ExitCode.problemsFound);
    expect(typeResult.stdout).toMatch(/^\/type .*quality\.nonconformance\.escalated/m);

    const unknownMajor = cloudEvent();
    unknownMajor.dataschema = 'urn:threadline:schema:quality.nonconformance.raised:9';
    const majorResult = await run([
      'schemas',
      'validate',
      writeDocument('major.json', unknownMajor),
    ]);
    expect(majorResult.code).toBe(ExitCode.problemsFound);
    expect(majorResult.stdout).toMatch(/^\/dataschema .*major 9/m);
  });

  it('prints {valid, errors} with --json, same exit codes', async () => {
    const event = cloudEvent();
    const valid = await run(['schemas', 'validate', '--json', writeDocument('j1.json', event)]);
    expect(valid.code).toBe(ExitCode.ok);
    expect(JSON.parse(valid.stdout)).toEqual({
      valid: true,
      type: 'quality.nonconformance.raised',
      id: event.id,
      errors: [],
    });

    event.data.lotIds = [];
    const invalid = await run(['schemas', 'validate', writeDocument('j2.json', event), '--json']);
    expect(invalid.code).toBe(ExitCode.problemsFound);
    const report = JSON.parse(invalid.stdout);
    expect(report.valid).toBe(false);
    expect(report.errors).toContainEqual(
      expect.objectContaining({ path: '/data/lotIds', keyword: 'minItems' }),
    );
  });

  it("reads standard input for '-'", async () => {
    const ok = await run(['schemas', 'validate', '-'], JSON.stringify(cloudEvent()));
    expect(ok.code).toBe(ExitCode.ok);
    expect(ok.stdout).toMatch(/^valid: quality\.nonconformance\.raised /);

    const event = cloudEvent();
    event.specversion = '0.3';
    const bad = await run(['schemas', 'validate', '-'], JSON.stringify(event));
    expect(bad.code).toBe(ExitCode.problemsFound);
    expect(bad.stdout).toBe("/specversion must be '1.0'\n");
  });

  it('exits 2 for input that is not JSON, saying so rather than listing schema errors', async () => {
    const file = writeDocument('broken.json', '{"specversion": "1.0",');
    const fromFile = await run(['schemas', 'validate', file]);
    expect(fromFile.code).toBe(ExitCode.failed);
    expect(fromFile.stdout).toBe('');
    expect(fromFile.stderr).toMatch(new RegExp(`^threadline: ${file}: not valid JSON: .+\\n$`));

    const fromStdin = await run(['schemas', 'validate', '-'], '');
    expect(fromStdin.code).toBe(ExitCode.failed);
    expect(fromStdin.stderr).toMatch(/^threadline: standard input: not valid JSON: /);

    const asJson = await run(['schemas', 'validate', '--json', file]);
    expect(asJson.code).toBe(ExitCode.failed);
    expect(JSON.parse(asJson.stdout).errors[0]).toMatchObject({ path: '', keyword: 'json' });
  });

  it('exits 2 naming a missing file, without a stack trace', async () => {
    const missing = join(workspace, 'no-such-event.json');
    const { code, stdout, stderr } = await run(['schemas', 'validate', missing]);
    expect(code).toBe(ExitCode.failed);
    expect(stdout).toBe('');
    expect(stderr).toBe(`threadline: cannot read ${missing}: no such file or directory\n`);
    expect(stderr).not.toMatch(STACK_FRAME);
  });

  it('exits 2 when given a directory', async () => {
    const { code, stderr } = await run(['schemas', 'validate', workspace]);
    expect(code).toBe(ExitCode.failed);
    expect(stderr).toBe(`threadline: cannot read ${workspace}: is a directory, not a file\n`);
  });
});
