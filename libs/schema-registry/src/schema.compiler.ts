import { Ajv2020, type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020';
import { join } from 'node:path';
import addFormats from 'ajv-formats';
import { ThreadlineError } from '@threadline/core';
import { isRfc3339DateTime } from './date-time.format';
import { ENVELOPE_SCHEMA_ID } from './dataschema';
import { useFastStringLength } from './string-length.keyword';
import { useLinearUniqueItems } from './unique-items.keyword';
import type { SchemaDirectory, SchemaEntry } from './schema-registry.types';

/** Annotation keyword every data schema carries: kind, type and catalog metadata. */
export const THREADLINE_ANNOTATION = 'x-threadline';

/**
 * A strict Ajv for JSON Schema 2020-12 (unknown keywords are errors), collecting all errors,
 * with formats, the Threadline annotation keyword, and faster versions of date-time,
 * minLength/maxLength and uniqueItems that keep their standard meaning (see their files).
 */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339DateTime });
  useFastStringLength(ajv);
  useLinearUniqueItems(ajv);
  ajv.addKeyword({ keyword: THREADLINE_ANNOTATION, schemaType: 'object' });
  return ajv;
}

/**
 * Every schema of a directory added to one Ajv (checked against the JSON Schema meta-schema),
 * each validator compiled when first asked for and kept. A schema that does not compile is a
 * configuration error naming its file, thrown by the call that compiles it: `compileAll` at start
 * for an eager registry, the first message of the type for a lazy one.
 */
export class SchemaCompiler {
  private readonly ajv = createAjv();
  private envelopeValidator: ValidateFunction | undefined;

  constructor(private readonly directory: SchemaDirectory) {
    addSchema(this.ajv, directory.common, this.file('common'));
    addSchema(this.ajv, directory.envelope, this.file('envelope'));
    for (const entry of directory.entries) addSchema(this.ajv, entry.schema, entry.file);
  }

  /** The envelope alone (for messages that name no known type and major). */
  envelope(): ValidateFunction {
    this.envelopeValidator ??= compile(
      this.ajv,
      { $ref: ENVELOPE_SCHEMA_ID },
      this.file('envelope'),
    );
    return this.envelopeValidator;
  }

  /** The envelope and `entry`'s data schema in one validator: one call checks the message. */
  message(entry: SchemaEntry): ValidateFunction {
    const message: AnySchemaObject = {
      type: 'object',
      $ref: ENVELOPE_SCHEMA_ID,
      properties: { data: { $ref: entry.id } },
    };
    return compile(this.ajv, message, entry.file);
  }

  private file(folder: 'common' | 'envelope'): string {
    return join(this.directory.directory, folder, 'v1.json');
  }
}

function addSchema(ajv: Ajv2020, schema: AnySchemaObject, file: string): void {
  try {
    ajv.addSchema(schema);
  } catch (error) {
    throw invalidSchema(file, error);
  }
}

function compile(ajv: Ajv2020, schema: AnySchemaObject, file: string): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw invalidSchema(file, error);
  }
}

function invalidSchema(file: string, error: unknown): ThreadlineError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ThreadlineError('CONFIGURATION_INVALID', `schema ${file} is invalid: ${reason}`, {
    cause: error,
  });
}
