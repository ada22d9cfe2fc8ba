import { Ajv2020, type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020';
import { join } from 'node:path';
import addFormats from 'ajv-formats';
import { ThreadlineError } from '@threadline/core';
import { isRfc3339DateTime } from './date-time.format';
import { ENVELOPE_SCHEMA_ID } from './dataschema';
import { useFastStringLength } from './string-length.keyword';
import { useLinearUniqueItems } from './unique-items.keyword';
import type { SchemaDirectory, SchemaEntry } from './schema-registry.types';

/** A data schema compiled together with the envelope, so one call checks the whole message. */
export interface CompiledMessageSchema {
  entry: SchemaEntry;
  validate: ValidateFunction;
}

export interface CompiledSchemas {
  envelope: ValidateFunction;
  /** Keyed by the `dataschema` URN (`urn:threadline:schema:<type>:<major>`). */
  messages: Map<string, CompiledMessageSchema>;
}

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

/** Compiles every schema once; a schema that does not compile is a configuration error. */
export function compileSchemas(directory: SchemaDirectory): CompiledSchemas {
  const ajv = createAjv();
  addSchema(ajv, directory.common, join(directory.directory, 'common', 'v1.json'));
  addSchema(ajv, directory.envelope, join(directory.directory, 'envelope', 'v1.json'));
  for (const entry of directory.entries) addSchema(ajv, entry.schema, entry.file);

  const envelope = compile(
    ajv,
    { $ref: ENVELOPE_SCHEMA_ID },
    join(directory.directory, 'envelope', 'v1.json'),
  );
  const messages = new Map<string, CompiledMessageSchema>();
  for (const entry of directory.entries) {
    // The envelope and this data schema in one validator: one call checks the whole message.
    const message: AnySchemaObject = {
      type: 'object',
      $ref: ENVELOPE_SCHEMA_ID,
      properties: { data: { $ref: entry.id } },
    };
    messages.set(entry.id, { entry, validate: compile(ajv, message, entry.file) });
  }
  return { envelope, messages };
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
