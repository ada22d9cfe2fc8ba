export {
  COMMON_SCHEMA_ID,
  ENVELOPE_SCHEMA_ID,
  MAX_ENVELOPE_BYTES,
  SCHEMA_URN_PREFIX,
  parseDataschema,
  schemaUrn,
} from './dataschema';
export {
  SchemaRegistry,
  type SchemaCompilation,
  type SchemaRegistryOptions,
} from './schema-registry';
export {
  SCHEMAS_DIRECTORY_VARIABLE,
  findSchemasDirectory,
  loadSchemaDirectory,
} from './schema-directory.loader';
export type {
  CloudEventEnvelope,
  SchemaDirectory,
  SchemaEntry,
  ValidationIssue,
  ValidationResult,
} from './schema-registry.types';
// Schema compatibility checks and the AsyncAPI document (written in compat/ and asyncapi/).
export * from './compat/compat';
export * from './compat/compat.types';
export * from './asyncapi/asyncapi-document';
export * from './asyncapi/asyncapi-yaml';
