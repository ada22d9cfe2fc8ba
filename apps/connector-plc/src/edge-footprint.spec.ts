import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** Packages of the HTTP connector runtime, which an edge PLC process has no use for. */
const HTTP_RUNTIME = ['axios', 'jsonata', 'jose', 'form-data'];

/**
 * The edge budget (issue #5, ADR 0011) depends on what `serve connector-plc` loads: the SDK's
 * main entry brings the HTTP connector runtime (about 10 MB of RSS). This loads the service and
 * the serve path in a fresh process, as `serve` does, and lists what came with them.
 */
function packagesLoadedBy(modules: readonly string[]): string[] {
  const script = `
    require('reflect-metadata');
    for (const module of ${JSON.stringify(modules)}) require(module);
    const names = Object.keys(require.cache)
      .map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file)?.[1])
      .filter(Boolean);
    process.stdout.write(JSON.stringify([...new Set(names)]));
  `;
  const output = execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODEOPCUA_LOG_LEVEL: '3' },
  });
  return JSON.parse(output) as string[];
}

describe('the edge PLC process footprint', () => {
  it('serve and connector-plc load no HTTP connector runtime', () => {
    const loaded = packagesLoadedBy([
      join(ROOT, 'apps/threadline/src/cli/serve.action.ts'),
      join(ROOT, 'apps/connector-plc/src/index.ts'),
      join(ROOT, 'apps/connector-plc/src/opcua/opcua.source.ts'),
      join(ROOT, 'apps/connector-plc/src/modbus/modbus.source.ts'),
    ]);
    expect(loaded).toEqual(expect.arrayContaining(['node-opcua-client', 'modbus-serial']));
    expect(loaded.filter((name) => HTTP_RUNTIME.includes(name))).toEqual([]);
  });

  it('the check sees the HTTP runtime where it is loaded (the SDK main entry)', () => {
    const loaded = packagesLoadedBy([join(ROOT, 'libs/connector-sdk/src/index.ts')]);
    expect(loaded).toEqual(expect.arrayContaining(['axios', 'jsonata', 'jose']));
  });
});
