import { badQuery } from './api-errors';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

/** Refuses query parameters the route does not know (a typo must not be silently ignored). */
export function onlyKnown(query: Record<string, unknown>, known: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!known.includes(name)) {
      throw badQuery(name, `unknown query parameter; known: ${known.join(', ') || 'none'}`);
    }
  }
}

export function lotIdParam(value: string): string {
  if (!ID.test(value)) {
    throw badQuery(
      'lotId',
      'must be an Id: 1-64 of A-Z a-z 0-9 . _ : / - starting with a letter or digit',
    );
  }
  return value;
}

export function oneOf<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw badQuery(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function integerIn(
  field: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    throw badQuery(field, `must be a whole number from ${min} to ${max}`);
  }
  return number;
}
