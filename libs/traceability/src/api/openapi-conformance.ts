import type { OpenAPIObject } from '@nestjs/swagger';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** One HTTP answer, as a client received it. */
export interface HttpAnswer {
  readonly method: string;
  /** The path and query, e.g. `/api/v1/lots/LOT-1/trace?direction=forward`. */
  readonly url: string;
  readonly status: number;
  /** The Content-Type header (parameters such as charset are ignored). */
  readonly contentType: string;
  /** The parsed body of a JSON answer (application/json, application/ld+json). */
  readonly body?: unknown;
}

const DOCUMENT_ID = 'openapi.json';
/** OpenAPI 3.0 schema keywords JSON Schema has no use for. */
const ANNOTATIONS = new Set(['nullable', 'example', 'discriminator', 'externalDocs', 'xml']);

/**
 * Checks values and answers against an OpenAPI 3.0 document (the one traceabilityOpenApi
 * builds), strictly: a field the schema does not declare is a problem, so a schema that drifts
 * from what the routes answer shows up either way. For tests of apps that mount the routes.
 */
export class OpenApiConformance {
  private readonly ajv = new Ajv({ allErrors: true, strict: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenAPIObject) {
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema(
      { $id: DOCUMENT_ID, definitions: eachToJsonSchema(document.components?.schemas ?? {}) },
      DOCUMENT_ID,
    );
  }

  /** What is wrong with `value` as a `components.schemas[name]`; [] when it conforms. */
  schemaProblems(name: string, value: unknown): string[] {
    if (!this.document.components?.schemas?.[name]) return [`no schema named ${name}`];
    const ref = `#/components/schemas/${name}`;
    return this.validate(ref, { $ref: ref }, value);
  }

  /** What is wrong with an answer: an undocumented route, status or media type, or its body. */
  answerProblems(answer: HttpAnswer): string[] {
    const where = `${answer.method} ${answer.url} ${answer.status}`;
    const path = answer.url.split('?')[0];
    const template = Object.keys(this.document.paths).find((candidate) =>
      new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
    );
    const operation = template
      ? this.document.paths[template][answer.method.toLowerCase() as 'get']
      : undefined;
    if (!template || !operation) return [`${where}: no such operation in the document`];
    const response = operation.responses[String(answer.status)] as
      { content?: Record<string, { schema?: object }> } | undefined;
    if (!response) return [`${where}: status not documented for ${template}`];
    const mediaType = answer.contentType.split(';')[0].trim();
    const media = response.content?.[mediaType];
    if (!media) {
      const documented = Object.keys(response.content ?? {}).join(', ') || 'none';
      return [`${where}: answered ${mediaType}, documented ${documented}`];
    }
    if (!/json$/.test(mediaType) || !media.schema) return [];
    const key = `${template} ${answer.method} ${answer.status} ${mediaType}`;
    return this.validate(key, media.schema, answer.body).map((problem) => `${where}: ${problem}`);
  }

  private validate(key: string, schema: object, value: unknown): string[] {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => {
      const extra = (error.params as { additionalProperty?: string }).additionalProperty;
      return `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}${extra ? `: ${extra}` : ''}`;
    });
  }
}

/**
 * An OpenAPI 3.0 schema as JSON Schema (draft 7): `nullable` as a null alternative, annotations
 * dropped, component `$ref`s pointing into the schema Ajv holds them in, and objects closed unless
 * they say otherwise.
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item));
  if (typeof schema !== 'object' || schema === null) return schema;
  const source = schema as Record<string, unknown>;
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (ANNOTATIONS.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') {
      converted.$ref = value.replace(/^#\/components\/schemas\//, `${DOCUMENT_ID}#/definitions/`);
    } else if (key === 'properties') {
      converted[key] = eachToJsonSchema(value as Record<string, unknown>);
    } else if (typeof value === 'object' && key !== 'enum' && key !== 'required') {
      converted[key] = toJsonSchema(value);
    } else {
      converted[key] = value;
    }
  }
  if (converted.properties && converted.additionalProperties === undefined) {
    converted.additionalProperties = false;
  }
  return source.nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

function eachToJsonSchema(schemas: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, toJsonSchema(schema)]),
  );
}
