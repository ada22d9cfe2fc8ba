import { HttpError } from './http-router';

/** Opaque cursors over the global change sequence: the next page starts after `sequence`. */
export function encodeCursor(sequence: number): string {
  return Buffer.from(`seq:${sequence}`).toString('base64url');
}

export function decodeCursor(cursor: string | null, field = 'since'): number {
  if (cursor === null || cursor === '') return 0;
  const match = /^seq:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw new HttpError(400, 'INVALID_CURSOR', `Query '${field}' is not a cursor this API issued`);
  return Number(match[1]);
}

/**
 * Returns the records after the cursor in sequence order. The next cursor is the last returned
 * record's sequence (or the same cursor when nothing is new), so pages never skip or repeat.
 */
export function pageAfter<T>(
  records: T[],
  sequenceOf: (record: T) => number,
  after: number,
  limit: number,
): { items: T[]; nextCursor: string; hasMore: boolean } {
  const newer = records
    .filter((record) => sequenceOf(record) > after)
    .sort((a, b) => sequenceOf(a) - sequenceOf(b));
  const items = newer.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: encodeCursor(last === undefined ? after : sequenceOf(last)),
    hasMore: newer.length > limit,
  };
}
