/** One reason a message was rejected. `path` is a JSON pointer into the envelope ('' = root). */
export interface ValidationIssue {
  path: string;
  keyword: string;
  message: string;
}

export type ValidationResult =
  { valid: true; event: CloudEventEnvelope } | { valid: false; errors: ValidationIssue[] };

/** The canonical CloudEvents 1.0 envelope (EVENT-CATALOG.md section 1) once validated. */
export interface CloudEventEnvelope {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  dataschema: string;
  correlationid: string;
  causationid?: string;
  idempotencykey: string;
  plant: string;
  traceparent?: string;
  data: Record<string, unknown>;
}

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
