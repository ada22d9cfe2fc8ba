import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { findSchemasDirectory } from '@threadline/schema-registry';
import { collectSecretPatterns, SECRET_KEYWORD, type SecretPattern } from './secret-fields';

export const CONNECTOR_CONFIG_SCHEMA_ID = 'urn:threadline:schema:config.connector:1';

/** The compiled connector schema and the secret fields it marks. */
export interface ConnectorConfigSchema {
  schema: Record<string, unknown>;
  validate: ValidateFunction;
  secretPatterns: readonly SecretPattern[];
}

let cached: ConnectorConfigSchema | undefined;

/** schemas/config/connector/v1.json, compiled once per process. */
export function connectorConfigSchema(): ConnectorConfigSchema {
  cached ??= compileConnectorConfigSchema(findSchemasDirectory());
  return cached;
}

/**
 * Strict Ajv for 2020-12 collecting every error, filling in defaults, and keeping the failing
 * schema on each error (`verbose`) so that messages can name the known fields.
 */
export function compileConnectorConfigSchema(schemasDirectory: string): ConnectorConfigSchema {
  const ajv = new Ajv2020({ strict: true, allErrors: true, useDefaults: true, verbose: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: SECRET_KEYWORD, schemaType: 'boolean' });
  ajv.addSchema(readJson(join(schemasDirectory, 'common', 'v1.json')));
  const schema = readJson(join(schemasDirectory, 'config', 'connector', 'v1.json'));
  if (schema.$id !== CONNECTOR_CONFIG_SCHEMA_ID) {
    throw new Error(`config/connector/v1.json must have $id '${CONNECTOR_CONFIG_SCHEMA_ID}'`);
  }
  return { schema, validate: ajv.compile(schema), secretPatterns: collectSecretPatterns(schema) };
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
