/**
 * Writes docs/asyncapi.yaml from schemas/ (npm run gen:asyncapi). The unit test
 * libs/schema-registry/src/asyncapi/asyncapi.spec.ts fails when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateAsyncApiDocument,
  loadSchemaDirectory,
  renderAsyncApiYaml,
} from '@threadline/schema-registry';

const root = join(__dirname, '..', '..', '..');
const target = join(root, 'docs', 'asyncapi.yaml');

try {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const directory = loadSchemaDirectory(join(root, 'schemas'));
  writeFileSync(target, renderAsyncApiYaml(generateAsyncApiDocument(directory, { version })));
  process.stdout.write(
    `wrote ${target}: ${directory.entries.length} schemas, version ${version}\n`,
  );
} catch (error) {
  process.stderr.write(`gen:asyncapi: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
