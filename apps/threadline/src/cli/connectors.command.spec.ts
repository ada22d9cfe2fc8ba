import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createMemoryIo, ExitCode } from './cli-io';
import { runCli } from './program';

const repository = resolve(__dirname, '../../../..');
const examples = join(repository, 'connectors');
const broken = join(repository, 'test/fixtures/connector-configs/broken');
const workspace = mkdtempSync(join(tmpdir(), 'threadline-connectors-'));
const STACK_FRAME = /^\s+at /m;

const ENV = {
  ERP_PASSWORD: 'erp-password-7f3a',
  MES_TOKEN: 'mes-token-91c2',
  QMS_API_KEY: 'qms-api-key-55d0',
  QMS_WEBHOOK_SECRET: 'qms-webhook-secret-0b8e',
  CMMS_TOKEN: 'cmms-token-c4e6',
};

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = ENV) {
  const output = createMemoryIo('', env);
  const code = await runCli(['connectors', 'validate', ...argv], output.io);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

describe('threadline connectors validate', () => {
  it('prints "ok <file> (<name>, <system>/<adapter>)" for each example and exits 0', async () => {
    const { code, stdout, stderr } = await run([examples]);
    expect({ code, stderr }).toEqual({ code: ExitCode.ok, stderr: '' });
    expect(stdout.trimEnd().split('\n')).toEqual([
      `ok ${join(examples, 'cmms.yaml')} (cmms, cmms/cmms-rest)`,
      `ok ${join(examples, 'erp-sap.yaml')} (erp-sap, erp/sap-odata-v2)`,
      `ok ${join(examples, 'mes.yaml')} (mes, mes/mes-rest)`,
      `ok ${join(examples, 'plc.yaml')} (plc-line-1, plc/plc)`,
      `ok ${join(examples, 'qms.yaml')} (qms, qms/qms-rest)`,
    ]);
  });

  it('reads connectors/*.yaml of the working directory when no file is given', async () => {
    const project = join(workspace, 'project');
    mkdirSync(project);
    cpSync(examples, join(project, 'connectors'), { recursive: true });
    const previous = process.cwd();
    process.chdir(project);
    try {
      const { code, stdout } = await run([]);
      expect(code).toBe(ExitCode.ok);
      expect(stdout).toContain('ok connectors/erp-sap.yaml (erp-sap, erp/sap-odata-v2)\n');
      expect(stdout.trimEnd().split('\n')).toHaveLength(5);
    } finally {
      process.chdir(previous);
    }
  });

  it('prints each problem on its own line, keeps going past bad files, and exits 1', async () => {
    const typo = join(broken, 'unknown-field-typo.yaml');
    const threeProblems = join(broken, 'three-problems.yaml');
    const good = join(examples, 'mes.yaml');
    const { code, stdout, stderr } = await run([typo, good, threeProblems]);
    expect(code).toBe(ExitCode.problemsFound);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      `${typo}:11:5: spec.target.timeoutMz: is not a known field (did you mean 'timeoutMs'?)`,
    );
    expect(lines[1]).toBe(`ok ${good} (mes, mes/mes-rest)`);
    expect(lines.slice(2).map((line) => line.split(': ')[1])).toEqual([
      'spec.system',
      'spec.target.timeoutMs',
      'spec.target.retries',
    ]);
    for (const line of lines.slice(2)) expect(line.startsWith(`${threeProblems}:`)).toBe(true);
  });

  it('names the missing variable and never prints a secret value', async () => {
    const { MES_TOKEN: _unset, ...partial } = ENV;
    const secrets = join(broken, 'secret-in-wrong-fields.yaml');
    const { code, stdout } = await run([examples, secrets], {
      ...partial,
      FIXTURE_SECRET: 'hunter2-fixture-secret',
    });
    expect(code).toBe(ExitCode.problemsFound);
    expect(stdout).toContain(
      `${join(examples, 'mes.yaml')}:16:14: spec.target.auth.token: environment variable MES_TOKEN is not set`,
    );
    for (const secret of [...Object.values(partial), 'hunter2-fixture-secret']) {
      expect(stdout).not.toContain(secret);
    }
    expect(stdout).not.toMatch(STACK_FRAME);
  });

  it('exits 2 with one line when a file cannot be read', async () => {
    const missing = join(workspace, 'absent.yaml');
    const { code, stdout, stderr } = await run([join(examples, 'mes.yaml'), missing]);
    expect(code).toBe(ExitCode.failed);
    expect(stdout).toBe('');
    expect(stderr).toBe(`threadline: cannot read ${missing}: no such file or directory\n`);
  });

  it('exits 2 when there is no connector file to check', async () => {
    const empty = join(workspace, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'README.md'), 'not a connector');
    const { code, stderr } = await run([empty]);
    expect(code).toBe(ExitCode.failed);
    expect(stderr).toBe(`threadline: no connector files (*.yaml) found in ${empty}\n`);
  });
});
