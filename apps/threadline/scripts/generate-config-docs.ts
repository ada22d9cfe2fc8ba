/**
 * Writes docs/connector-config.md from schemas/config/connector/v1.json (npm run
 * gen:config-docs). The unit test libs/connector-sdk/src/config/config-reference.spec.ts fails
 * when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectorConfigSchema, renderConfigReference } from '@threadline/connector-sdk';

const target = join(__dirname, '..', '..', '..', 'docs', 'connector-config.md');
try {
  writeFileSync(target, renderConfigReference(connectorConfigSchema().schema));
  process.stdout.write(`wrote ${target}\n`);
} catch (error) {
  process.stderr.write(
    `gen:config-docs: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
