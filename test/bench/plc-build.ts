import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { transformFileSync, type Options } from '@swc/core';
import { readDefaultTsConfig } from '@swc-node/register/read-default-tsconfig';

const ROOT = join(__dirname, '..', '..');
const SOURCES = ['apps', 'libs', join('test', 'bench')];

/**
 * The measured processes run compiled JavaScript, as production does (`node dist/...`), not
 * under `-r @swc-node/register`: the on-the-fly compiler (swc's native binding and TypeScript)
 * alone adds about 75 MB of RSS, which is the bench's, not the connector's. Compiles apps, libs
 * and the bench with the same swc settings the register hook derives from tsconfig.json (path
 * aliases resolved), into a folder under node_modules/.cache so that packages still resolve.
 */
export function compileForChildProcesses(): { directory: string; remove(): void } {
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const directory = mkdtempSync(join(cache, 'threadline-bench-plc-'));
  const options = swcOptions();
  for (const folder of SOURCES) {
    for (const file of typeScriptFiles(join(ROOT, folder))) {
      const { code } = transformFileSync(file, { ...options, filename: file });
      const target = join(directory, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }
  }
  return { directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/** What @swc-node/register makes of tsconfig.json (its @swc-node/core defaults), without maps. */
function swcOptions(): Options {
  const tsconfig = readDefaultTsConfig(join(ROOT, 'tsconfig.json'));
  const baseUrl = resolve(tsconfig.baseUrl ?? ROOT);
  const paths = Object.fromEntries(
    Object.entries(tsconfig.paths ?? {}).map(([alias, targets]) => [
      alias,
      targets.map((target) => resolve(baseUrl, target)),
    ]),
  );
  return {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
      transform: {
        legacyDecorator: true,
        decoratorMetadata: true,
        useDefineForClassFields: true,
      },
      keepClassNames: true,
      baseUrl,
      paths,
    },
    module: { type: 'commonjs', noInterop: false },
    isModule: true,
    sourceMaps: false,
    swcrc: false,
  };
}

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /(?<!\.spec|\.d)\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}
