import { PermanentError } from '@threadline/core';
import type { CloudEvent } from '@threadline/contracts';
import type { CompiledMapping } from './mapping';

export const VENDOR_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type VendorMethod = (typeof VENDOR_METHODS)[number];

/** The HTTP request a command becomes at the vendor system. */
export interface VendorRequest {
  method: VendorMethod;
  /** Relative to the target's base URL; starts with '/'. */
  path: string;
  headers?: Record<string, string>;
  body?: Record<string, unknown> | unknown[];
}

export interface OutboundMapperOptions {
  mapping: CompiledMapping;
  commandType: string;
  /**
   * Method and path fixed in the connector configuration (`request:` of a command binding).
   * When given, the mapping produces only the body; otherwise it produces the whole
   * `{method, path, headers?, body?}`.
   */
  request?: { method: VendorMethod; path: string };
}

/**
 * Canonical command envelope -> vendor request via JSONata. The mapping sees the whole envelope
 * (`data.lotIds`, `id`, `idempotencykey` ...). A malformed request is a PermanentError naming the
 * mapping and the field: retrying the same command would produce the same request.
 */
export class OutboundMapper {
  constructor(private readonly options: OutboundMapperOptions) {}

  async map(command: CloudEvent): Promise<VendorRequest> {
    if (command.type !== this.options.commandType) {
      throw new PermanentError(
        `mapping ${this.options.mapping.name} maps ${this.options.commandType}, got a ${command.type} command`,
      );
    }
    const output = await this.options.mapping.evaluate(command);
    const fixed = this.options.request;
    const request = fixed === undefined ? output : { ...fixed, body: output };
    return checkVendorRequest(request, this.options.mapping.name);
  }
}

/** Checks a mapping's output is a usable request; every problem is listed in one error. */
export function checkVendorRequest(output: unknown, mappingName: string): VendorRequest {
  if (!isRecord(output)) {
    throw new PermanentError(
      `mapping ${mappingName} must produce an object {method, path, headers?, body?}, got ${describe(output)}`,
    );
  }
  const problems = [
    ...checkMethod(output.method),
    ...checkPath(output.path),
    ...checkHeaders(output.headers),
    ...checkBody(output.body),
  ];
  const unknown = Object.keys(output).filter((key) => !REQUEST_FIELDS.has(key));
  if (unknown.length > 0) problems.push(`unknown field(s) ${unknown.join(', ')}`);
  if (problems.length > 0) {
    throw new PermanentError(
      `mapping ${mappingName} produced an invalid request: ${problems.join('; ')}`,
    );
  }
  const request: VendorRequest = {
    method: output.method as VendorMethod,
    path: output.path as string,
  };
  if (output.headers !== undefined) request.headers = output.headers as Record<string, string>;
  if (output.body !== undefined) request.body = output.body as VendorRequest['body'];
  return request;
}

const REQUEST_FIELDS = new Set(['method', 'path', 'headers', 'body']);

function checkMethod(method: unknown): string[] {
  return typeof method === 'string' && (VENDOR_METHODS as readonly string[]).includes(method)
    ? []
    : [`method must be one of ${VENDOR_METHODS.join(', ')}, got ${describe(method)}`];
}

function checkPath(path: unknown): string[] {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    return [`path must be a string starting with '/', got ${describe(path)}`];
  }
  // A path like '//evil.example' would be read as a host by URL resolution.
  return path.startsWith('//') ? [`path must not start with '//', got ${describe(path)}`] : [];
}

function checkHeaders(headers: unknown): string[] {
  if (headers === undefined) return [];
  if (!isRecord(headers)) return [`headers must be an object of strings, got ${describe(headers)}`];
  return Object.entries(headers)
    .filter(([, value]) => typeof value !== 'string')
    .map(([name, value]) => `headers.${name} must be a string, got ${describe(value)}`);
}

function checkBody(body: unknown): string[] {
  if (body === undefined || Array.isArray(body) || isRecord(body)) return [];
  return [`body must be an object, an array or absent, got ${describe(body)}`];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
