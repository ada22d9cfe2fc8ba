import { HttpError } from './http-router';

/** Field readers for JSON bodies: bad input gets a 400 naming the field and the rule. */
export type JsonObject = Record<string, unknown>;

function invalid(field: string, rule: string): HttpError {
  return new HttpError(400, 'INVALID_FIELD', `Field '${field}' ${rule}`);
}

export function requireObject(body: unknown, name = 'body'): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(name, 'must be a JSON object');
  }
  return body as JsonObject;
}

export function requiredString(body: JsonObject, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(field, 'is required and must be a non-empty string');
  }
  return value;
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  return value;
}

export function optionalNumber(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(field, 'must be a finite number');
  }
  return value;
}

export function requiredNumber(body: JsonObject, field: string): number {
  const value = optionalNumber(body, field);
  if (value === undefined) throw invalid(field, 'is required and must be a number');
  return value;
}

export function requiredEnum<T extends string>(
  body: JsonObject,
  field: string,
  allowed: readonly T[],
): T {
  const value = body[field];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function optionalEnum<T extends string>(
  body: JsonObject,
  field: string,
  allowed: readonly T[],
): T | undefined {
  return body[field] === undefined ? undefined : requiredEnum(body, field, allowed);
}

export function requiredStringArray(body: JsonObject, field: string): string[] {
  const value = body[field];
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((item) => typeof item === 'string' && item !== '')
  ) {
    throw invalid(field, 'must be a non-empty array of strings');
  }
  return value as string[];
}

export function optionalStringArray(body: JsonObject, field: string): string[] {
  return body[field] === undefined ? [] : requiredStringArray(body, field);
}

/** `limit` query parameter: 1..max, default when absent. */
export function readLimit(query: URLSearchParams, fallback = 100, max = 1000): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new HttpError(400, 'INVALID_QUERY', `Query 'limit' must be an integer from 1 to ${max}`);
  }
  return value;
}
