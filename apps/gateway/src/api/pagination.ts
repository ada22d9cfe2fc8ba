import { badQuery } from '@threadline/traceability';

/**
 * Every list of the gateway pages the same way: `limit` (how many) and `cursor` (opaque, the
 * `nextCursor` of the page before). A page answers `{items, nextCursor, next}`: `next` is the
 * link to the following page, both null on the last one. Database lists put the last row's sort
 * key in the cursor (keyset: rows added meanwhile neither repeat nor shift the pages); lists
 * held in memory put the offset.
 */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
  readonly next: string | null;
}

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** The position a cursor holds, when `accept` recognizes it; a 400 naming `cursor` otherwise. */
export function decodeCursor<T>(
  value: unknown,
  accept: (position: unknown) => position is T,
): T | undefined {
  if (value === undefined) return undefined;
  const fail = () => badQuery('cursor', "must be a page's nextCursor, unchanged");
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,512}$/.test(value)) throw fail();
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw fail();
  }
  if (!accept(position)) throw fail();
  return position;
}

/** A keyset position: the last row's time (RFC 3339) and id. */
export interface KeysetPosition {
  readonly t: string;
  readonly id: string;
}

export function isKeyset(position: unknown): position is KeysetPosition {
  const candidate = position as Partial<KeysetPosition> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.t === 'string' &&
    !Number.isNaN(Date.parse(candidate.t)) &&
    typeof candidate.id === 'string'
  );
}

export function isOffset(position: unknown): position is { o: number } {
  const candidate = position as { o?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Number.isInteger(candidate.o) &&
    (candidate.o as number) >= 0
  );
}

/**
 * The page of `rows` (fetched with limit + 1, so one more means there is a next page), with the
 * cursor of its last item and the link: `path` with the query it was asked with, new cursor.
 */
export function pageOf<T>(
  rows: readonly T[],
  limit: number,
  positionOf: (last: T) => unknown,
  path: string,
  query: Record<string, string | number | undefined>,
): Page<T> {
  const items = rows.slice(0, limit);
  if (rows.length <= limit || items.length === 0) return { items, nextCursor: null, next: null };
  const nextCursor = encodeCursor(positionOf(items[items.length - 1]));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...query, cursor: nextCursor })) {
    if (value !== undefined) search.set(name, String(value));
  }
  return { items, nextCursor, next: `${path}?${search.toString()}` };
}

/** A page of a list held in memory, by offset. */
export function pageFromList<T>(
  all: readonly T[],
  limit: number,
  cursor: unknown,
  path: string,
  query: Record<string, string | number | undefined>,
): Page<T> {
  const offset = decodeCursor(cursor, isOffset)?.o ?? 0;
  const rows = all.slice(offset, offset + limit + 1);
  return pageOf(rows, limit, () => ({ o: offset + limit }), path, query);
}
