import type { CloudEvent } from '@threadline/contracts';

/** One reason a message was rejected. `path` is a JSON pointer into the envelope ('' = root). */
export interface ValidationIssue {
  path: string;
  keyword: string;
  message: string;
}

export type ValidationResult =
  { valid: true; event: CloudEventEnvelope } | { valid: false; errors: ValidationIssue[] };

/**
 * The canonical CloudEvents 1.0 envelope (EVENT-CATALOG.md section 1) once validated: the
 * contract's own type, with `data` as a plain record until a caller narrows it by type.
 */
export type CloudEventEnvelope = CloudEvent<string, Record<string, unknown>>;

/** One `data` schema: `schemas/{events|commands}/<type>/v<major>.json`. */
export interface SchemaEntry {
  type: string;
  major: number;
  kind: 'event' | 'command';
  /** `urn:threadline:schema:<type>:<major>`, which is also the envelope's `dataschema`. */
  id: string;
  /** Absolute path of the schema file. */
  file: string;
  schema: Record<string, unknown>;
}

export interface SchemaDirectory {
  directory: string;
  common: Record<string, unknown>;
  envelope: Record<string, unknown>;
  /** Sorted by type, then major. */
  entries: SchemaEntry[];
}
