import type { SchemaEntry } from '@threadline/schema-registry';

/** `quality.nonconformance.raised` -> `QualityNonconformanceRaised`. */
export function pascalCase(type: string): string {
  return type
    .split(/[.-]/)
    .filter((part) => part !== '')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** `QualityNonconformanceRaisedData`; later majors get a suffix: `...DataV2`. */
export function dataInterfaceName(entry: Pick<SchemaEntry, 'type' | 'major'>): string {
  const suffix = entry.major === 1 ? '' : `V${entry.major}`;
  return `${pascalCase(entry.type)}Data${suffix}`;
}

/** Mirrors schemas/: `events/quality.nonconformance.raised.v1.ts`. */
export function dataModulePath(entry: Pick<SchemaEntry, 'type' | 'major' | 'kind'>): string {
  return `${entry.kind}s/${entry.type}.v${entry.major}.ts`;
}

/** The import specifier of a data module, relative to the generated folder. */
export function dataModuleSpecifier(entry: Pick<SchemaEntry, 'type' | 'major' | 'kind'>): string {
  return `./${dataModulePath(entry).replace(/\.ts$/, '')}`;
}
