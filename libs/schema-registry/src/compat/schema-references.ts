import { dirname, join, resolve } from 'node:path';
import { ThreadlineError } from '@threadline/core';
import type { SchemaDirectory } from '../schema-registry.types';

/** A schema file of a directory, with every `$ref` rewritten to `<document key>#<pointer>`. */
export interface SchemaDocument {
  /** The `$id` of the file (every Threadline schema file has one). */
  key: string;
  file: string;
  schema: Record<string, unknown>;
}

export interface ReferenceTarget {
  document: SchemaDocument;
  /** JSON pointer inside the document, '' for its root. */
  pointer: string;
}

/**
 * The schema files of one directory with their `$ref`s made absolute, so a sub-schema can be
 * followed into another file (e.g. `common/v1.json`) without remembering where it came from.
 * Accepts `#/...` (same file), `<$id>#/...` and relative file paths (`../../common/v1.json#/...`).
 */
export class SchemaReferences {
  private readonly byKey = new Map<string, SchemaDocument>();

  constructor(directory: SchemaDirectory) {
    const sources = [
      { file: join(directory.directory, 'common', 'v1.json'), schema: directory.common },
      { file: join(directory.directory, 'envelope', 'v1.json'), schema: directory.envelope },
      ...directory.entries.map((entry) => ({ file: entry.file, schema: entry.schema })),
    ];
    const keysByFile = new Map(sources.map((source) => [resolve(source.file), keyOf(source)]));
    for (const source of sources) {
      const key = keyOf(source);
      const context = { key, file: source.file, keysByFile };
      const schema = absolutize(source.schema, context) as Record<string, unknown>;
      this.byKey.set(key, { key, file: source.file, schema });
    }
  }

  document(key: string): SchemaDocument {
    const document = this.byKey.get(key);
    if (document === undefined) {
      throw new ThreadlineError('NOT_FOUND', `no schema document with $id '${key}'`);
    }
    return document;
  }

  /** Where an absolute reference (as produced by this class) points. */
  locate(reference: string): ReferenceTarget {
    const hash = reference.indexOf('#');
    const key = hash < 0 ? reference : reference.slice(0, hash);
    const pointer = hash < 0 ? '' : decodeURIComponent(reference.slice(hash + 1));
    return { document: this.document(key), pointer };
  }

  /** The sub-schema an absolute reference points to. */
  resolve(reference: string): unknown {
    const { document, pointer } = this.locate(reference);
    const target = followPointer(document.schema, pointer);
    if (target === undefined) {
      throw new ThreadlineError(
        'CONFIGURATION_INVALID',
        `$ref '${reference}' points to nothing in ${document.file}`,
      );
    }
    return target;
  }
}

interface AbsolutizeContext {
  key: string;
  file: string;
  keysByFile: Map<string, string>;
}

function keyOf(source: { file: string; schema: Record<string, unknown> }): string {
  return typeof source.schema.$id === 'string' ? source.schema.$id : resolve(source.file);
}

function absolutize(node: unknown, context: AbsolutizeContext): unknown {
  if (Array.isArray(node)) return node.map((item) => absolutize(item, context));
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(node)) {
    copy[name] =
      name === '$ref' && typeof value === 'string'
        ? absoluteReference(value, context)
        : absolutize(value, context);
  }
  return copy;
}

function absoluteReference(reference: string, context: AbsolutizeContext): string {
  const hash = reference.indexOf('#');
  const location = hash < 0 ? reference : reference.slice(0, hash);
  const fragment = hash < 0 ? '' : reference.slice(hash);
  if (location === '') return `${context.key}${fragment}`;
  if ([...context.keysByFile.values()].includes(location)) return `${location}${fragment}`;
  const byFile = context.keysByFile.get(resolve(dirname(context.file), location));
  if (byFile !== undefined) return `${byFile}${fragment}`;
  throw new ThreadlineError(
    'CONFIGURATION_INVALID',
    `${context.file}: $ref '${reference}' names no schema file of this directory`,
  );
}

/** RFC 6901 JSON pointer lookup; `undefined` when the pointer leads nowhere. */
export function followPointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
