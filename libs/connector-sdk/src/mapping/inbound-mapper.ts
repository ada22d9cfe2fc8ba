import { ThreadlineError } from '@threadline/core';
import { buildEnvelope, type CloudEvent, type SourceIdentity } from '@threadline/contracts';
import type { MetricsRegistry } from '@threadline/observability';
import type { SchemaRegistry, ValidationIssue } from '@threadline/schema-registry';
import { compileMapping, type CompiledMapping } from './mapping';
import {
  rejectMappedOutput,
  type MappingRejection,
  type RejectionReason,
} from './mapping-rejection';

/**
 * How the envelope's subject, idempotency key and time are read. Each expression is JSONata
 * evaluated against the mapped canonical data, with the vendor payload bound as `$payload`: so
 * `ncrId` reads a canonical field and `$payload.nc.updated` a vendor one.
 */
export interface InboundIdentityRules {
  /** The subject; default the schema's `x-threadline.subject` field (e.g. `ncrId`). */
  subject?: string;
  /** The source object id of the idempotency key; default the subject. */
  objectId?: string;
  /**
   * The fact reported, the key's last part: a fixed word (`raised`) or, when one object reports
   * the same kind of fact repeatedly, an expression (`{ expression: '"status-" & version' }`).
   */
  fact: string | { expression: string };
  /** When it happened at the source (ISO 8601); default the mapping time, which is not stable. */
  time?: string;
}

export interface InboundMapperOptions {
  mapping: CompiledMapping;
  eventType: string;
  /** Schema major of the output; default 1. */
  major?: number;
  source: SourceIdentity;
  identity: InboundIdentityRules;
  registry: SchemaRegistry;
  metrics?: MetricsRegistry;
}

export type InboundMappingResult =
  | { ok: true; event: CloudEvent }
  | {
      ok: false;
      reason: RejectionReason;
      errors: ValidationIssue[];
      rawOutput: unknown;
      rejection: MappingRejection;
    };

interface CompiledIdentity {
  subject: CompiledMapping;
  objectId: CompiledMapping;
  fact: string | CompiledMapping;
  time?: CompiledMapping;
}

/** The `buildEnvelope` call for a type only known at run time (from connector configuration). */
type BuildUntypedEnvelope = (input: {
  type: string;
  data: object;
  subject: string;
  source: SourceIdentity;
  fact: { system: string; objectId: string; fact: string };
  time?: string;
  major?: number;
}) => CloudEvent;
const buildUntypedEnvelope = buildEnvelope as unknown as BuildUntypedEnvelope;

/**
 * Turns a vendor payload into a validated canonical event: mapping, envelope with a
 * deterministic idempotency key (`{system}:{objectId}:{fact}`, the same on every re-poll and
 * restart), then the canonical schema. Anything that fails comes back as a rejection (for the
 * DLQ, counted in the metric), never as an event.
 */
export class InboundMapper {
  private readonly identity: CompiledIdentity;
  private readonly major: number;

  constructor(private readonly options: InboundMapperOptions) {
    this.major = options.major ?? 1;
    const entry = options.registry.get(options.eventType, this.major);
    if (entry === undefined || entry.kind !== 'event') {
      throw new ThreadlineError(
        'CONFIGURATION_INVALID',
        `mapping ${options.mapping.name}: eventType ${options.eventType} v${this.major} is not an event in the schema registry`,
      );
    }
    this.identity = compileIdentity(options, schemaSubjectField(entry.schema));
  }

  async map(payload: unknown): Promise<InboundMappingResult> {
    let output: unknown;
    try {
      output = await this.options.mapping.evaluate(payload);
    } catch (error) {
      return this.reject('evaluation-failed', [issue('', 'mapping', errorText(error))], payload);
    }
    let event: CloudEvent;
    try {
      event = await this.envelope(output, payload);
    } catch (error) {
      return this.reject(
        'identity-invalid',
        [issue('', 'identity', errorText(error))],
        payload,
        output,
      );
    }
    const validation = this.options.registry.validate(event);
    if (!validation.valid) return this.reject('schema-invalid', validation.errors, payload, output);
    return { ok: true, event };
  }

  private async envelope(output: unknown, payload: unknown): Promise<CloudEvent> {
    const bindings = { payload };
    const subject = await readString(this.identity.subject, output, bindings, 'subject');
    const objectId = await readString(this.identity.objectId, output, bindings, 'objectId');
    const fact =
      typeof this.identity.fact === 'string'
        ? this.identity.fact
        : await readString(this.identity.fact, output, bindings, 'fact');
    const time =
      this.identity.time === undefined
        ? undefined
        : await readString(this.identity.time, output, bindings, 'time');
    return buildUntypedEnvelope({
      type: this.options.eventType,
      // The schema check that follows reports a non-object output precisely (`/data`).
      data: output as object,
      subject,
      source: this.options.source,
      fact: { system: this.options.source.system, objectId, fact },
      time,
      major: this.major,
    });
  }

  private reject(
    reason: RejectionReason,
    errors: ValidationIssue[],
    payload: unknown,
    rawOutput?: unknown,
  ): InboundMappingResult {
    const rejection = rejectMappedOutput(
      {
        connector: this.options.source.connectorId,
        mapping: this.options.mapping.name,
        eventType: this.options.eventType,
        reason,
        errors,
        payload,
        rawOutput,
      },
      this.options.metrics,
    );
    return { ok: false, reason, errors, rawOutput, rejection };
  }
}

function compileIdentity(options: InboundMapperOptions, schemaSubject: string | undefined) {
  const rules = options.identity;
  const name = (part: string) => `${options.mapping.name} (${part})`;
  const subjectSource = rules.subject ?? schemaSubject;
  if (subjectSource === undefined) {
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      `mapping ${options.mapping.name}: identity.subject is required: the schema of ${options.eventType} names no single subject field`,
    );
  }
  const subject = compileMapping(subjectSource, name('subject'));
  return {
    subject,
    objectId:
      rules.objectId === undefined ? subject : compileMapping(rules.objectId, name('objectId')),
    fact:
      typeof rules.fact === 'string'
        ? rules.fact
        : compileMapping(rules.fact.expression, name('fact')),
    time: rules.time === undefined ? undefined : compileMapping(rules.time, name('time')),
  } satisfies CompiledIdentity;
}

/** `x-threadline.subject` when it is one field name (`ncrId`), not prose (`ncrId or lotId`). */
export function schemaSubjectField(schema: Record<string, unknown>): string | undefined {
  const extension = schema['x-threadline'];
  if (typeof extension !== 'object' || extension === null) return undefined;
  const subject = (extension as { subject?: unknown }).subject;
  return typeof subject === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(subject)
    ? subject
    : undefined;
}

async function readString(
  expression: CompiledMapping,
  data: unknown,
  bindings: Record<string, unknown>,
  part: string,
): Promise<string> {
  const value = await expression.evaluate(data, bindings);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '') {
    throw new RangeError(
      `${part} must be a non-empty string, got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  return value;
}

function issue(path: string, keyword: string, message: string): ValidationIssue {
  return { path, keyword, message };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
