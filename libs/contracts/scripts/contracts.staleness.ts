import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { GeneratedFile } from './contracts.generator';

export interface Difference {
  path: string;
  problem: 'changed' | 'missing' | 'extra';
}

/** How the files in `directory` differ from the freshly generated `files`. */
export function compareWithDisk(directory: string, files: readonly GeneratedFile[]): Difference[] {
  const expected = new Map(files.map((file) => [file.path, file.content]));
  const differences: Difference[] = [];
  for (const [path, content] of expected) {
    const target = join(directory, path);
    if (!existsSync(target)) differences.push({ path, problem: 'missing' });
    else if (readFileSync(target, 'utf8') !== content)
      differences.push({ path, problem: 'changed' });
  }
  for (const path of listGeneratedFiles(directory)) {
    if (!expected.has(path)) differences.push({ path, problem: 'extra' });
  }
  return differences;
}

export function describeDifferences(differences: readonly Difference[]): string {
  const lines = differences.map((difference) => `  ${difference.problem}: ${difference.path}`);
  return [
    'libs/contracts/src/generated is stale: run npm run gen:contracts and commit the result.',
    ...lines,
  ].join('\n');
}

/** Every file under `directory`, relative, with forward slashes. */
export function listGeneratedFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((item) => item.isFile())
    .map((item) => relative(directory, join(item.parentPath, item.name)).split(sep).join('/'))
    .sort();
}
