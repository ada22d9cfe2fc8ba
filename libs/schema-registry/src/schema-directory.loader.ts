import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ThreadlineError } from '@threadline/core';
import { COMMON_SCHEMA_ID, ENVELOPE_SCHEMA_ID, schemaUrn } from './dataschema';
import type { SchemaDirectory, SchemaEntry } from './schema-registry.types';

export const SCHEMAS_DIRECTORY_VARIABLE = 'THREADLINE_SCHEMAS_DIR';

const KIND_FOLDERS = [
  { folder: 'events', kind: 'event' },
  { folder: 'commands', kind: 'command' },
] as const;
const TYPE_NAME = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+$/;
const VERSION_FILE = /^v([1-9]\d*)\.json$/;

/**
 * Where `schemas/` is: $THREADLINE_SCHEMAS_DIR when set, else the first `schemas/` found walking
 * up from `start`. Walking up works from the sources (libs/schema-registry/src) and from the
 * build (dist/libs/schema-registry/src) alike.
 */
export function findSchemasDirectory(start: string = __dirname): string {
  const override = process.env[SCHEMAS_DIRECTORY_VARIABLE];
  if (override !== undefined && override !== '') {
    const directory = resolve(override);
    if (!existsSync(join(directory, 'envelope', 'v1.json'))) {
      throw configurationError(
        `${SCHEMAS_DIRECTORY_VARIABLE}=${override} does not contain envelope/v1.json`,
      );
    }
    return directory;
  }
  for (let current = resolve(start); ; current = dirname(current)) {
    const candidate = join(current, 'schemas');
    if (existsSync(join(candidate, 'envelope', 'v1.json'))) return candidate;
    if (dirname(current) === current) break;
  }
  throw configurationError(
    `no schemas/envelope/v1.json found in ${resolve(start)} or any parent directory; ` +
      `set ${SCHEMAS_DIRECTORY_VARIABLE}`,
  );
}

/** Reads every schema file and checks that each `$id` matches the file's place in the tree. */
export function loadSchemaDirectory(directory: string): SchemaDirectory {
  const root = resolve(directory);
  const common = readIdentifiedSchema(join(root, 'common', 'v1.json'), COMMON_SCHEMA_ID);
  const envelope = readIdentifiedSchema(join(root, 'envelope', 'v1.json'), ENVELOPE_SCHEMA_ID);
  const entries: SchemaEntry[] = [];
  const seen = new Map<string, string>();
  for (const { folder, kind } of KIND_FOLDERS) {
    for (const entry of readKindFolder(join(root, folder), kind)) {
      const clash = seen.get(entry.type);
      if (clash !== undefined && dirname(clash) !== dirname(entry.file)) {
        throw configurationError(
          `type '${entry.type}' is defined twice: ${clash} and ${entry.file}`,
        );
      }
      seen.set(entry.type, entry.file);
      entries.push(entry);
    }
  }
  entries.sort(compareEntries);
  return { directory: root, common, envelope, entries };
}

export function compareEntries(left: SchemaEntry, right: SchemaEntry): number {
  if (left.type !== right.type) return left.type < right.type ? -1 : 1;
  return left.major - right.major;
}

function readKindFolder(folder: string, kind: SchemaEntry['kind']): SchemaEntry[] {
  if (!existsSync(folder)) return [];
  const entries: SchemaEntry[] = [];
  for (const item of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, item.name);
    if (!item.isDirectory()) {
      if (item.name.endsWith('.json')) {
        throw configurationError(`${path}: schema files belong in a folder named by their type`);
      }
      continue;
    }
    if (!TYPE_NAME.test(item.name)) {
      throw configurationError(`${path}: folder name must be a dotted lower-case type name`);
    }
    entries.push(...readTypeFolder(path, item.name, kind));
  }
  return entries;
}

function readTypeFolder(folder: string, type: string, kind: SchemaEntry['kind']): SchemaEntry[] {
  const entries: SchemaEntry[] = [];
  for (const name of readdirSync(folder)) {
    if (!name.endsWith('.json')) continue;
    const file = join(folder, name);
    const version = VERSION_FILE.exec(name);
    if (version === null) {
      throw configurationError(`${file}: schema file name must be v<major>.json, e.g. v1.json`);
    }
    const major = Number(version[1]);
    const id = schemaUrn(type, major);
    const schema = readIdentifiedSchema(file, id);
    checkAnnotation(file, schema, kind, type);
    entries.push({ type, major, kind, id, file, schema });
  }
  return entries;
}

/** The `x-threadline` annotation must agree with the folder the file sits in. */
function checkAnnotation(
  file: string,
  schema: Record<string, unknown>,
  kind: SchemaEntry['kind'],
  type: string,
): void {
  const annotation = schema['x-threadline'];
  if (!isPlainObject(annotation)) {
    throw configurationError(`${file}: missing the "x-threadline" annotation object`);
  }
  if (annotation.kind !== kind) {
    throw configurationError(
      `${file}: "x-threadline".kind must be '${kind}' for a file under ${kind}s/`,
    );
  }
  if (annotation.type !== type) {
    throw configurationError(`${file}: "x-threadline".type must be '${type}' (its folder name)`);
  }
}

function readIdentifiedSchema(file: string, expectedId: string): Record<string, unknown> {
  const schema = readSchemaFile(file);
  if (schema.$id !== expectedId) {
    throw configurationError(
      `${file}: $id is ${JSON.stringify(schema.$id)} but its path requires '${expectedId}'`,
    );
  }
  return schema;
}

function readSchemaFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw configurationError(`cannot read schema file ${file}: ${reason(error)}`, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw configurationError(`schema file ${file} is not valid JSON: ${reason(error)}`, error);
  }
  if (!isPlainObject(parsed)) {
    throw configurationError(`schema file ${file} must contain a JSON object`);
  }
  return parsed;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function configurationError(message: string, cause?: unknown): ThreadlineError {
  return new ThreadlineError('CONFIGURATION_INVALID', message, { cause });
}
