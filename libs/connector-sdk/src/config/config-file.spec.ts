import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFileFor } from './config-file';

function connectorFile(system: string): string {
  return `apiVersion: threadline/v1\nkind: Connector\nmetadata: {name: c-${system}}\nspec:\n  system: ${system}\n`;
}

describe('configFileFor', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'threadline-config-file-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('finds the one YAML file whose spec.system is the system, whatever its name', () => {
    writeFileSync(join(directory, 'a.yaml'), connectorFile('erp'));
    writeFileSync(join(directory, 'b.yml'), connectorFile('plc'));
    writeFileSync(join(directory, 'notes.txt'), connectorFile('mes'));
    expect(configFileFor(directory, 'plc')).toBe(join(directory, 'b.yml'));
    expect(configFileFor(directory, 'erp')).toBe(join(directory, 'a.yaml'));
    expect(() => configFileFor(directory, 'mes')).toThrow(
      /no connector configuration with spec\.system mes/,
    );
  });

  it('reads a file again once it changed, not before', () => {
    const file = join(directory, 'line.yaml');
    writeFileSync(file, connectorFile('erp'));
    expect(configFileFor(directory, 'erp')).toBe(file);
    writeFileSync(file, connectorFile('cmms'));
    utimesSync(file, new Date(), new Date(Date.now() + 5_000)); // a new version, whatever the clock
    expect(configFileFor(directory, 'cmms')).toBe(file);
    expect(() => configFileFor(directory, 'erp')).toThrow(/no connector configuration/);
  });

  it('refuses two files of one system, and names files that are not YAML', () => {
    writeFileSync(join(directory, 'one.yaml'), connectorFile('qms'));
    writeFileSync(join(directory, 'two.yaml'), connectorFile('qms'));
    writeFileSync(join(directory, 'broken.yaml'), 'spec: [unclosed\n');
    expect(() => configFileFor(directory, 'qms')).toThrow(/one connector configuration per system/);
    expect(() => configFileFor(directory, 'plc')).toThrow(/not valid YAML: .*broken\.yaml/);
  });
});
