import { ThreadlineError } from '@threadline/core';
import { COMMON_SCHEMA_ID, ENVELOPE_SCHEMA_ID } from '../dataschema';
import { SchemaReferences, type SchemaDocument } from '../compat/schema-references';
import type { SchemaDirectory, SchemaEntry } from '../schema-registry.types';

export const ENVELOPE_COMPONENT = 'CloudEventEnvelope';
const COMPONENT_REF_PREFIX = '#/components/schemas/';

/** 2020-12 keywords with no draft-07 equivalent: AsyncAPI schema objects cannot carry them. */
const UNSUPPORTED_KEYWORDS = new Set([
  'prefixItems',
  'unevaluatedProperties',
  'unevaluatedItems',
  'dependentRequired',
  'dependentSchemas',
  'minContains',
  'maxContains',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$vocabulary',
]);

const NAMED_SCHEMAS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);

export function dataComponentName(entry: Pick<SchemaEntry, 'type' | 'major'>): string {
  return `${entry.type}.v${entry.major}`;
}

export function componentReference(name: string): { $ref: string } {
  return { $ref: `${COMPONENT_REF_PREFIX}${name}` };
}

/**
 * The schema files as AsyncAPI `components.schemas`: AsyncAPI tools cannot resolve our
 * `urn:threadline:schema:...` ids, so every definition becomes its own component (`common.Id`,
 * `quality.nonconformance.raised.v1`, ...) and every `$ref` a local component reference. The
 * AsyncAPI schema format is a superset of JSON Schema draft-07, in which keywords beside a
 * `$ref` are ignored, so those are kept by moving the `$ref` into an `allOf`.
 */
export function buildComponentSchemas(directory: SchemaDirectory): Record<string, unknown> {
  const references = new SchemaReferences(directory);
  const baseNames = new Map<string, string>([
    [COMMON_SCHEMA_ID, 'common'],
    [ENVELOPE_SCHEMA_ID, ENVELOPE_COMPONENT],
    ...directory.entries.map((entry): [string, string] => [entry.id, dataComponentName(entry)]),
  ]);
  const convert = (node: unknown, document: SchemaDocument) =>
    toDraft07(node, (reference) => localReference(reference, references, baseNames), document.file);
  const components: Record<string, unknown> = {};
  const add = (key: string, base: string, withRoot: boolean) => {
    const document = references.document(key);
    const { $defs: definitions, $schema: _schema, $id: _id, ...root } = document.schema;
    if (withRoot) components[base] = convert(root, document);
    for (const [name, definition] of Object.entries(objectOrEmpty(definitions))) {
      components[`${base}.${name}`] = convert(definition, document);
    }
  };
  add(COMMON_SCHEMA_ID, 'common', false);
  add(ENVELOPE_SCHEMA_ID, ENVELOPE_COMPONENT, true);
  for (const entry of directory.entries) add(entry.id, dataComponentName(entry), true);
  return components;
}

/** `<key>#/$defs/Name/rest` -> `#/components/schemas/<base>.Name/rest`. */
function localReference(
  reference: string,
  references: SchemaReferences,
  baseNames: Map<string, string>,
): string {
  const { document, pointer } = references.locate(reference);
  const base = baseNames.get(document.key) as string;
  const definition = /^\/\$defs\/([^/]+)(.*)$/.exec(pointer);
  if (definition !== null) return `${COMPONENT_REF_PREFIX}${base}.${definition[1]}${definition[2]}`;
  if (document.key === COMMON_SCHEMA_ID) {
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      `$ref '${reference}' must point into the $defs of ${document.file}`,
    );
  }
  return `${COMPONENT_REF_PREFIX}${base}${pointer}`;
}

function toDraft07(node: unknown, rewrite: (reference: string) => string, file: string): unknown {
  if (Array.isArray(node)) return node.map((item) => toDraft07(item, rewrite, file));
  if (typeof node !== 'object' || node === null) return node;
  const converted: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (UNSUPPORTED_KEYWORDS.has(keyword)) {
      throw new ThreadlineError(
        'CONFIGURATION_INVALID',
        `${file}: keyword '${keyword}' has no JSON Schema draft-07 equivalent, so AsyncAPI cannot describe it`,
      );
    }
    if (NAMED_SCHEMAS.has(keyword)) {
      // Keys here are property names, not keywords: convert each schema under them.
      const entries = Object.entries(objectOrEmpty(value));
      converted[keyword] = Object.fromEntries(
        entries.map(([name, schema]) => [name, toDraft07(schema, rewrite, file)]),
      );
    } else {
      // Data values (examples, enum, const, extensions) are copied as they are.
      converted[keyword] = isDataKeyword(keyword) ? value : toDraft07(value, rewrite, file);
    }
  }
  if (typeof converted.$ref !== 'string') return converted;
  const { $ref: reference, ...siblings } = converted;
  const local = { $ref: rewrite(reference) };
  if (Object.keys(siblings).length === 0) return local;
  const allOf = Array.isArray(siblings.allOf) ? (siblings.allOf as unknown[]) : [];
  return { ...siblings, allOf: [local, ...allOf] };
}

function isDataKeyword(keyword: string): boolean {
  return ['examples', 'enum', 'const', 'default'].includes(keyword) || keyword.startsWith('x-');
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
