import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMapping } from './mapping';

/** The example connectors' mapping files must always compile, so the examples never rot. */
const MAPPINGS_DIRECTORY = join(__dirname, '..', '..', '..', '..', 'connectors', 'mappings');
const files = readdirSync(MAPPINGS_DIRECTORY)
  .filter((file) => file.endsWith('.jsonata'))
  .sort();

describe('example mappings in connectors/mappings', () => {
  it('has examples to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s compiles', (file) => {
    const source = readFileSync(join(MAPPINGS_DIRECTORY, file), 'utf8');
    expect(compileMapping(source, file).name).toBe(file);
  });
});
