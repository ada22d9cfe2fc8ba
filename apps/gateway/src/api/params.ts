import { ApiError, badQuery } from '@threadline/traceability';
import { HttpStatus } from '@nestjs/common';

/** Whether the text holds a control character (C0 or DEL). */
function hasControl(text: string): boolean {
  return [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

/** An optional text filter: given once, 1-`max` characters, no control characters. */
export function textParam(field: string, value: unknown, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badQuery(field, 'must be given once');
  if (value.length === 0 || value.length > max || hasControl(value)) {
    throw badQuery(field, `must be 1-${max} characters without control characters`);
  }
  return value;
}

/** A request that breaks a rule outside the query string (a header, the body). */
export function badRequest(field: string, rule: string): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, 'INVALID_REQUEST', `${field}: ${rule}`);
}

export function notFound(code: string, message: string): ApiError {
  return new ApiError(HttpStatus.NOT_FOUND, code, message);
}
