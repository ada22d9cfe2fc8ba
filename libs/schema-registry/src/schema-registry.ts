import type { ValidateFunction } from 'ajv';
import { MAX_ENVELOPE_BYTES, parseDataschema, schemaUrn } from './dataschema';
import { SchemaCompiler } from './schema.compiler';
import {
  findSchemasDirectory,
  isPlainObject,
  loadSchemaDirectory,
} from './schema-directory.loader';
import type {
  CloudEventEnvelope,
  SchemaDirectory,
  SchemaEntry,
  ValidationIssue,
  ValidationResult,
} from './schema-registry.types';
import { formatIssues, issue } from './validation-issue.formatter';

/**
 * When validators are compiled. `eager`: every schema when the registry is built, so a schema
 * that does not compile fails the start (tools, tests, `threadline schemas`). `onFirstUse`: a
 * type's validator when its first message is validated, then kept; a process compiles only the
 * types it produces or consumes (ADR 0011: about 2 MB of code and 15 MB of transient heap less
 * for a connector). Validation is the same either way.
 */
export type SchemaCompilation = 'eager' | 'onFirstUse';

export interface SchemaRegistryOptions {
  /** Default `eager`. */
  readonly compile?: SchemaCompilation;
}

/** A data schema and, once compiled, its validator (envelope and data in one function). */
interface MessageSchema {
  readonly entry: SchemaEntry;
  validate: ValidateFunction | undefined;
}

/**
 * The canonical schemas, looked up by type + major. `validate` checks the envelope and its
 * `data` in one pass and never throws for a message: every problem comes back as an issue. (A
 * lazily compiled schema that does not compile throws CONFIGURATION_INVALID on first use.)
 */
export class SchemaRegistry {
  private readonly entries: readonly SchemaEntry[];
  private readonly majorsByType = new Map<string, number[]>();
  /** Keyed by the `dataschema` URN (`urn:threadline:schema:<type>:<major>`). */
  private readonly messages = new Map<string, MessageSchema>();

  private constructor(
    directory: SchemaDirectory,
    private readonly compiler: SchemaCompiler,
  ) {
    this.entries = directory.entries;
    for (const entry of directory.entries) {
      const majors = this.majorsByType.get(entry.type) ?? [];
      majors.push(entry.major);
      this.majorsByType.set(entry.type, majors);
      this.messages.set(entry.id, { entry, validate: undefined });
    }
  }

  /** Loads `directory` (default: the `schemas/` found by findSchemasDirectory) and compiles it. */
  static fromDirectory(
    directory: string = findSchemasDirectory(),
    options: SchemaRegistryOptions = {},
  ): SchemaRegistry {
    const loaded = loadSchemaDirectory(directory);
    const registry = new SchemaRegistry(loaded, new SchemaCompiler(loaded));
    if ((options.compile ?? 'eager') === 'eager') registry.compileAll();
    return registry;
  }

  /** The `dataschema` URNs whose validators are compiled so far (every one when eager). */
  compiled(): string[] {
    return [...this.messages.values()]
      .filter((message) => message.validate !== undefined)
      .map((message) => message.entry.id);
  }

  /** Every data schema, sorted by type, then major. */
  list(): SchemaEntry[] {
    return [...this.entries];
  }

  get(type: string, major: number): SchemaEntry | undefined {
    return this.messages.get(schemaUrn(type, major))?.entry;
  }

  validate(envelope: unknown): ValidationResult {
    // Hot path: the dataschema URN is the map key, so a well-formed message costs one lookup.
    if (typeof envelope === 'object' && envelope !== null) {
      const { type, dataschema } = envelope as { type?: unknown; dataschema?: unknown };
      const message = typeof dataschema === 'string' ? this.messages.get(dataschema) : undefined;
      if (message !== undefined && message.entry.type === type) {
        const validate = message.validate ?? this.compile(message);
        if (validate(envelope)) {
          return { valid: true, event: envelope as CloudEventEnvelope };
        }
        return { valid: false, errors: formatIssues(validate.errors ?? []) };
      }
    }
    return this.explainUnmatched(envelope);
  }

  validateJson(text: string | Buffer): ValidationResult {
    const size = sizeAgainstLimit(text);
    if (size === undefined) {
      return invalid(issue('', 'json', 'not valid JSON: input must be a string or a Buffer'));
    }
    if (size > MAX_ENVELOPE_BYTES) {
      const detail = `is ${size} bytes, larger than the limit of ${MAX_ENVELOPE_BYTES} bytes`;
      return invalid(issue('', 'maxSize', detail));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return invalid({ path: '', keyword: 'json', message: `not valid JSON: ${reason}` });
    }
    return this.validate(parsed);
  }

  private compileAll(): void {
    this.compiler.envelope();
    for (const message of this.messages.values()) this.compile(message);
  }

  private compile(message: MessageSchema): ValidateFunction {
    message.validate = this.compiler.message(message.entry);
    return message.validate;
  }

  /** No schema matched type + dataschema: report the envelope errors and why. */
  private explainUnmatched(envelope: unknown): ValidationResult {
    const validateEnvelope = this.compiler.envelope();
    const errors = validateEnvelope(envelope) ? [] : formatIssues(validateEnvelope.errors ?? []);
    if (isPlainObject(envelope)) {
      const { type, dataschema } = envelope;
      if (typeof type === 'string' && typeof dataschema === 'string') {
        const routing = this.routingIssue(type, dataschema, errors);
        if (routing !== undefined) errors.push(routing);
      }
    }
    if (errors.length === 0) {
      // Unreachable while the envelope schema requires type and dataschema; kept so a
      // loosened envelope schema can never let an unchecked message through.
      errors.push(issue('', 'unknownType', 'names no known type and dataschema'));
    }
    return invalid(...errors);
  }

  private routingIssue(
    type: string,
    dataschema: string,
    errors: readonly ValidationIssue[],
  ): ValidationIssue | undefined {
    const majors = this.majorsByType.get(type);
    if (majors === undefined) {
      return issue('/type', 'unknownType', `'${type}' is not a known event or command type`);
    }
    const named = parseDataschema(dataschema);
    if (named === undefined) {
      if (errors.some((error) => error.path === '/dataschema')) return undefined;
      return issue('/dataschema', 'pattern', 'must be urn:threadline:schema:<type>:<major>');
    }
    if (named.type !== type) {
      return issue(
        '/dataschema',
        'dataschemaMismatch',
        `names type '${named.type}' but /type is '${type}'; they must be the same`,
      );
    }
    return issue(
      '/dataschema',
      'unknownMajor',
      `names major ${named.major} of '${type}', which is not known (known: ${majors.join(', ')})`,
    );
  }
}

function invalid(...errors: ValidationIssue[]): ValidationResult {
  return { valid: false, errors };
}

/** UTF-8 size of the input, exact whenever it could exceed the limit. */
function sizeAgainstLimit(text: unknown): number | undefined {
  if (Buffer.isBuffer(text)) return text.length;
  if (typeof text !== 'string') return undefined;
  // Each UTF-16 unit is 1..3 bytes of UTF-8, so short strings need no exact count.
  return text.length * 3 <= MAX_ENVELOPE_BYTES ? text.length : Buffer.byteLength(text, 'utf8');
}
