/** Schema ids are URNs: `urn:threadline:schema:<name>:<major>` (EVENT-CATALOG.md section 1). */
export const SCHEMA_URN_PREFIX = 'urn:threadline:schema:';
export const COMMON_SCHEMA_ID = `${SCHEMA_URN_PREFIX}common:1`;
export const ENVELOPE_SCHEMA_ID = `${SCHEMA_URN_PREFIX}envelope:1`;

/** Largest envelope accepted from the wire, in bytes of UTF-8. */
export const MAX_ENVELOPE_BYTES = 256 * 1024;

// Lower-case dotted name, then a major without leading zeros so each URN has one spelling.
const DATASCHEMA_PATTERN =
  /^urn:threadline:schema:([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*):([1-9]\d{0,5})$/;

export function schemaUrn(type: string, major: number): string {
  return `${SCHEMA_URN_PREFIX}${type}:${major}`;
}

/** Splits a `dataschema` URN into type and major; `undefined` when it is not one. */
export function parseDataschema(value: string): { type: string; major: number } | undefined {
  const match = DATASCHEMA_PATTERN.exec(value);
  if (match === null) return undefined;
  return { type: match[1], major: Number(match[2]) };
}
