/**
 * Kinds of schema change, split by whether they can break a producer or consumer that relies on
 * the old schema (EVENT-CATALOG.md section 6): a change is breaking when the new schema may reject
 * a document the old one accepted, or when it takes away a field consumers could rely on.
 */
export const BREAKING_CHANGE_KINDS = [
  'schema-removed',
  'field-removed',
  'required-field-added',
  'field-made-required',
  'type-narrowed',
  'enum-narrowed',
  'bound-narrowed',
  'pattern-changed',
  'format-changed',
  'additional-properties-tightened',
  'constraint-changed',
] as const;

export const NON_BREAKING_CHANGE_KINDS = [
  'schema-added',
  'optional-field-added',
  'field-made-optional',
  'type-widened',
  'enum-widened',
  'bound-widened',
  'pattern-removed',
  'format-removed',
  'additional-properties-loosened',
  'constraint-relaxed',
] as const;

export type BreakingChangeKind = (typeof BREAKING_CHANGE_KINDS)[number];
export type NonBreakingChangeKind = (typeof NON_BREAKING_CHANGE_KINDS)[number];
export type ChangeKind = BreakingChangeKind | NonBreakingChangeKind;

/** One difference found inside a single schema, before it is attributed to a type + major. */
export interface SchemaDifference {
  /**
   * Where in the `data` payload: a JSON pointer of field names, `/` for the payload itself and
   * `*` for "any array item" or "any additional property".
   */
  path: string;
  kind: ChangeKind;
  detail: string;
}

export interface Change extends SchemaDifference {
  /** The event or command type, or `envelope` for the CloudEvents envelope schema. */
  type: string;
  major: number;
}

export interface CompatReport {
  breaking: Change[];
  nonBreaking: Change[];
}

const BREAKING = new Set<ChangeKind>(BREAKING_CHANGE_KINDS);

export function isBreakingChange(kind: ChangeKind): kind is BreakingChangeKind {
  return BREAKING.has(kind);
}
