import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ThreadlineError } from '@threadline/core';
import type { ConnectorSystem } from './connector-config.types';
import { readYamlValues } from './yaml-values';

/** The one YAML file in `directory` whose `spec.system` is `system`. */
export function configFileFor(directory: string, system: ConnectorSystem): string {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => /\.ya?ml$/.test(name));
  } catch {
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      `CONNECTORS_DIR ${directory} cannot be read`,
    );
  }
  const files = names.map((name) => join(directory, name));
  const systems = new Map(files.map((file) => [file, systemOf(file)]));
  const matching = files.filter((file) => systems.get(file) === system);
  if (matching.length === 1) return matching[0];
  if (matching.length > 1) {
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      `one connector configuration per system: ${matching.join(', ')} all have spec.system ${system}`,
    );
  }
  const unreadable = files.filter((file) => systems.get(file) === UNREADABLE);
  throw new ThreadlineError(
    'CONFIGURATION_INVALID',
    `no connector configuration with spec.system ${system} in ${directory}` +
      (unreadable.length > 0
        ? ` (not valid YAML: ${unreadable.join(', ')}; see threadline connectors validate)`
        : ''),
  );
}

const UNREADABLE = Symbol('unreadable');

/**
 * `spec.system` of each file read so far, by the file's identity and version: a process asks
 * more than once (the service to find its file, the audit of configuration loads to hash it),
 * and reading a large file is not free (ADR 0011). A file is read again only once it changed.
 */
const systemsSeen = new Map<string, { version: string; system: unknown }>();

function systemOf(file: string): unknown {
  let version: string;
  try {
    const stat = statSync(file);
    version = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return UNREADABLE;
  }
  const seen = systemsSeen.get(file);
  if (seen?.version === version) return seen.system;
  const system = systemIn(file);
  systemsSeen.set(file, { version, system });
  return system;
}

function systemIn(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return UNREADABLE;
  }
  const read = readYamlValues(text);
  if ('problem' in read) return UNREADABLE;
  return (read.values as { spec?: { system?: unknown } } | null)?.spec?.system;
}
