import { ENVELOPE_SCHEMA_ID } from '../dataschema';
import type { SchemaDirectory, SchemaEntry } from '../schema-registry.types';
import { type Change, type CompatReport, isBreakingChange } from './compat.types';
import { diffSchemas } from './schema-diff';
import { SchemaReferences } from './schema-references';

/** The envelope is versioned like a data schema; changes to it are reported under this name. */
export const ENVELOPE_CHANGE_TYPE = 'envelope';

/**
 * Compares two schema directories by the rules of EVENT-CATALOG.md section 6. Every type + major
 * present in both is diffed (shared definitions resolved on each side); a type + major that
 * disappeared is breaking, a new type or a new major beside the old one is not.
 */
export function compareSchemaDirectories(
  older: SchemaDirectory,
  newer: SchemaDirectory,
): CompatReport {
  const olderReferences = new SchemaReferences(older);
  const newerReferences = new SchemaReferences(newer);
  const resolveOlder = (reference: string) => olderReferences.resolve(reference);
  const resolveNewer = (reference: string) => newerReferences.resolve(reference);
  const changes: Change[] = [];
  const compare = (type: string, major: number, olderKey: string, newerKey: string) => {
    const olderSchema = olderReferences.document(olderKey).schema;
    const newerSchema = newerReferences.document(newerKey).schema;
    for (const difference of diffSchemas(olderSchema, newerSchema, resolveOlder, resolveNewer)) {
      changes.push({ type, major, ...difference });
    }
  };

  compare(ENVELOPE_CHANGE_TYPE, 1, ENVELOPE_SCHEMA_ID, ENVELOPE_SCHEMA_ID);
  const newerEntries = new Map(newer.entries.map((entry) => [entryKey(entry), entry]));
  const olderEntries = new Map(older.entries.map((entry) => [entryKey(entry), entry]));
  for (const entry of older.entries) {
    const counterpart = newerEntries.get(entryKey(entry));
    if (counterpart === undefined) {
      changes.push(removal(entry, newer));
    } else {
      compare(entry.type, entry.major, entry.id, counterpart.id);
    }
  }
  for (const entry of newer.entries) {
    if (!olderEntries.has(entryKey(entry))) changes.push(addition(entry, older));
  }
  changes.sort(compareChanges);
  return {
    breaking: changes.filter((item) => isBreakingChange(item.kind)),
    nonBreaking: changes.filter((item) => !isBreakingChange(item.kind)),
  };
}

function entryKey(entry: SchemaEntry): string {
  return `${entry.type}:${entry.major}`;
}

function removal(entry: SchemaEntry, newer: SchemaDirectory): Change {
  const remaining = majorsOf(newer, entry.type);
  const verb = remaining.length === 1 ? 'remains' : 'remain';
  const note =
    remaining.length > 0 ? ` (${remaining.map((major) => `v${major}`).join(', ')} ${verb})` : '';
  const detail = `${entry.kind} ${entry.type} v${entry.major} removed${note}`;
  return { type: entry.type, major: entry.major, path: '/', kind: 'schema-removed', detail };
}

function addition(entry: SchemaEntry, older: SchemaDirectory): Change {
  const existing = majorsOf(older, entry.type);
  const detail =
    existing.length > 0
      ? `new major v${entry.major} beside ${existing.map((major) => `v${major}`).join(', ')}`
      : `new ${entry.kind} ${entry.type} v${entry.major}`;
  return { type: entry.type, major: entry.major, path: '/', kind: 'schema-added', detail };
}

function majorsOf(directory: SchemaDirectory, type: string): number[] {
  return directory.entries.filter((entry) => entry.type === type).map((entry) => entry.major);
}

function compareChanges(left: Change, right: Change): number {
  if (left.type !== right.type) return left.type < right.type ? -1 : 1;
  if (left.major !== right.major) return left.major - right.major;
  if (left.path !== right.path) return left.path < right.path ? -1 : 1;
  return left.detail < right.detail ? -1 : left.detail > right.detail ? 1 : 0;
}
