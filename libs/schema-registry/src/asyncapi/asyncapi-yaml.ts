import { Document } from 'yaml';
import type { AsyncApiDocument } from './asyncapi-document';

export const ASYNCAPI_HEADER = [
  ' Generated from schemas/ by `npm run gen:asyncapi` (libs/schema-registry/src/asyncapi).',
  ' Do not edit: change the schemas and regenerate; a test fails when this file is stale.',
].join('\n');

/** Deterministic YAML: keys in insertion order, no line folding, the generated-file header. */
export function renderAsyncApiYaml(document: AsyncApiDocument): string {
  // Shared objects are written out in full: anchors and aliases would only confuse readers.
  const yaml = new Document(document, { aliasDuplicateObjects: false });
  yaml.commentBefore = ASYNCAPI_HEADER;
  return yaml.toString({ lineWidth: 0 });
}
