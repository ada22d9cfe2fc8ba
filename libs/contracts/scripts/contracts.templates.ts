import type { SchemaEntry } from '@threadline/schema-registry';
import { dataInterfaceName, dataModuleSpecifier, pascalCase } from './contracts.naming';

/** `EventType` / `CommandType` constants, their union types and the `*_TYPES` lists. */
export function renderTypeConstants(entries: readonly SchemaEntry[]): string {
  const events = typesOfKind(entries, 'event');
  const commands = typesOfKind(entries, 'command');
  return [
    constantObject(
      'EventType',
      'Every event type in the catalog (exchange threadline.events).',
      events,
    ),
    constantObject(
      'CommandType',
      'Every command type in the catalog (exchange threadline.commands).',
      commands,
    ),
    '/** Any event or command type. */',
    'export type CanonicalType = EventType | CommandType;',
    '',
    `export const EVENT_TYPES: readonly EventType[] = [${quoteAll(events)}];`,
    '',
    `export const COMMAND_TYPES: readonly CommandType[] = [${quoteAll(commands)}];`,
    '',
  ].join('\n');
}

/** `CanonicalDataMap` (type -> data of its default major) and `CanonicalDataByMajor`. */
export function renderDataMap(entries: readonly SchemaEntry[]): string {
  const imports = entries.map(
    (entry) => `import type { ${dataInterfaceName(entry)} } from '${dataModuleSpecifier(entry)}';`,
  );
  const byType = groupByType(entries);
  const defaults = [...byType].map(([type, majors]) => {
    const preferred = majors.find((entry) => entry.major === 1) ?? majors[0];
    return `  '${type}': ${dataInterfaceName(preferred)};`;
  });
  const versions = [...byType].map(([type, majors]) => {
    const fields = majors.map((entry) => `${entry.major}: ${dataInterfaceName(entry)}`);
    return `  '${type}': { ${fields.join('; ')} };`;
  });
  return [
    ...imports,
    '',
    '/** The data payload of each type at major 1 (the default major), keyed by type. */',
    'export interface CanonicalDataMap {',
    ...defaults,
    '}',
    '',
    '/** The data payload of each type at each of its majors. */',
    'export interface CanonicalDataByMajor {',
    ...versions,
    '}',
    '',
  ].join('\n');
}

export function renderIndex(entries: readonly SchemaEntry[]): string {
  return [
    "export * from './common';",
    "export * from './data-map';",
    "export * from './event-types';",
    ...entries.map((entry) => `export * from '${dataModuleSpecifier(entry)}';`),
    '',
  ].join('\n');
}

function constantObject(name: string, description: string, types: readonly string[]): string {
  const fields = types.map((type) => `  ${pascalCase(type)}: '${type}',`);
  return [
    `/** ${description} */`,
    `export const ${name} = {`,
    ...fields,
    '} as const;',
    `export type ${name} = (typeof ${name})[keyof typeof ${name}];`,
    '',
  ].join('\n');
}

function typesOfKind(entries: readonly SchemaEntry[], kind: SchemaEntry['kind']): string[] {
  return [...new Set(entries.filter((entry) => entry.kind === kind).map((entry) => entry.type))];
}

function groupByType(entries: readonly SchemaEntry[]): Map<string, SchemaEntry[]> {
  const byType = new Map<string, SchemaEntry[]>();
  for (const entry of entries) byType.set(entry.type, [...(byType.get(entry.type) ?? []), entry]);
  return byType;
}

function quoteAll(types: readonly string[]): string {
  return types.map((type) => `'${type}'`).join(', ');
}
