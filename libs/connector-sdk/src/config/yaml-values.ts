import { CORE_SCHEMA, load } from 'js-yaml';
import { parseDocument } from 'yaml';

/** Why a text is not YAML that can be read: the first error, where it is, how many followed. */
export interface YamlProblem {
  /** The error's first line, without its position. */
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  /** Errors after the first one, mostly echoes of it. */
  readonly more: number;
}

export type YamlValues = { readonly values: unknown } | { readonly problem: YamlProblem };

/**
 * What may be an anchor (`&a`) or a tag (`!x`, `!!str`) at the start of a token. After one,
 * js-yaml lets a mapping start on its parent key's line (`a: &x b: 1`), which YAML forbids and
 * `yaml` refuses, so a text with one is left to `yaml`. A `&` or `!` inside a word
 * (`?a=1&b=2`) or JSONata's `a & b` does not match; `x != y` does, and only costs the slower read.
 */
const NODE_PROPERTY = /(?:^|[\s,[{])(?:&\S|!)/;

/**
 * Reads a YAML text into plain values, as the `yaml` package's `parse` does under the YAML 1.2
 * core schema, at a fraction of its memory: js-yaml builds the values straight from the text,
 * where `yaml` first builds a concrete syntax tree and a document model (about 60 MB against
 * 24 MB for a 5,000-item PLC configuration, ADR 0011). Both follow the 1.2 core schema, so a
 * plain `-.5`, `0o14`, `~` or `True` means the same in both (yaml-values.spec.ts compares them;
 * they differ only on a null key, `null` here and empty there, which no configuration has).
 * What js-yaml will not read, or reads where `yaml` would not (a syntax error, an anchor, a tag,
 * an alias, several documents, an empty text), is left to `yaml`, which reads it or names the
 * first error with its line and column, as it did before this fast path existed.
 */
export function readYamlValues(text: string): YamlValues {
  if (NODE_PROPERTY.test(text)) return readWithYaml(text);
  try {
    // A file with aliases goes to `yaml`: js-yaml shares an aliased node where `yaml` counts
    // what it expands to and refuses an alias bomb ("Excessive alias count").
    return { values: load(text, { schema: CORE_SCHEMA, maxAliases: 0 }) };
  } catch {
    return readWithYaml(text);
  }
}

function readWithYaml(text: string): YamlValues {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const [first] = document.errors;
  if (first !== undefined) {
    const place = first.linePos?.[0];
    return {
      problem: {
        message: first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
        line: place?.line,
        column: place?.col,
        more: document.errors.length - 1,
      },
    };
  }
  try {
    return { values: document.toJS() as unknown };
  } catch (error) {
    // toJS refuses a document whose aliases expand past its limit (a resource exhaustion attack).
    return { problem: { message: (error as Error).message, more: 0 } };
  }
}
