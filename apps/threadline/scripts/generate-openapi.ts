/**
 * Writes docs/openapi.json from the gateway's routes, the traceability routes included
 * (npm run gen:openapi). The unit test apps/gateway/src/openapi/gateway-openapi.spec.ts fails
 * when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import 'reflect-metadata';
import { buildGatewayOpenApi } from '@threadline/app-gateway';
import { renderOpenApi } from '@threadline/traceability';

const root = join(__dirname, '..', '..', '..');
const target = join(root, 'docs', 'openapi.json');

async function main(): Promise<void> {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const document = await buildGatewayOpenApi(version);
  writeFileSync(target, renderOpenApi(document));
  process.stdout.write(`wrote ${target}: ${Object.keys(document.paths).length} paths\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`gen:openapi: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
