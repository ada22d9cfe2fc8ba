/**
 * Writes libs/contracts/src/generated/ from schemas/ (npm run gen:contracts). With --check it
 * writes nothing and exits 1 when the committed files are stale. The unit test
 * generate-contracts.spec.ts runs the same comparison.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findSchemasDirectory, loadSchemaDirectory } from '@threadline/schema-registry';
import { compareWithDisk, describeDifferences, listGeneratedFiles } from './contracts.staleness';
import { generateContracts, readPrettierOptions } from './contracts.generator';

const repositoryRoot = join(__dirname, '..', '..', '..');
export const GENERATED_DIRECTORY = join(repositoryRoot, 'libs', 'contracts', 'src', 'generated');

async function main(check: boolean): Promise<number> {
  const directory = loadSchemaDirectory(findSchemasDirectory(repositoryRoot));
  const files = await generateContracts(directory, readPrettierOptions(repositoryRoot));
  const differences = compareWithDisk(GENERATED_DIRECTORY, files);
  if (check) {
    if (differences.length === 0) return 0;
    process.stderr.write(`${describeDifferences(differences)}\n`);
    return 1;
  }
  rmSync(GENERATED_DIRECTORY, { recursive: true, force: true });
  for (const file of files) {
    const target = join(GENERATED_DIRECTORY, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  const count = listGeneratedFiles(GENERATED_DIRECTORY).length;
  process.stdout.write(`wrote ${count} files to libs/contracts/src/generated\n`);
  return 0;
}

main(process.argv.includes('--check')).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `gen:contracts failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
