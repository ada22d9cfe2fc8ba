/**
 * Writes docs/openapi.json from the traceability routes (npm run gen:openapi). The unit test
 * libs/traceability/src/api/openapi.spec.ts fails when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import 'reflect-metadata';
import { buildTraceabilityOpenApi, renderOpenApi } from '@threadline/traceability';

const root = join(__dirname, '..', '..', '..');
const target = join(root, 'docs', 'openapi.json');

async function main(): Promise<void> {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const document = await buildTraceabilityOpenApi(version);
  writeFileSync(target, renderOpenApi(document));
  process.stdout.write(`wrote ${target}: ${Object.keys(document.paths).length} paths\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`gen:openapi: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
