import { decodeCursor, encodeCursor, isKeyset, isOffset, pageFromList, pageOf } from './pagination';

describe('gateway pagination', () => {
  it('gives a cursor and a next link only when there is a next page', () => {
    const last = pageOf([1, 2], 2, (n) => ({ o: n }), '/api/v1/x', { limit: 2 });
    expect(last).toEqual({ items: [1, 2], nextCursor: null, next: null });
    const more = pageOf([1, 2, 3], 2, (n) => ({ o: n }), '/api/v1/x', {
      limit: 2,
      state: 'running',
      type: undefined,
    });
    expect(more.items).toEqual([1, 2]);
    expect(decodeCursor(more.nextCursor, isOffset)).toEqual({ o: 2 });
    expect(more.next).toBe(`/api/v1/x?limit=2&state=running&cursor=${more.nextCursor}`);
  });

  it('walks a list held in memory page by page, each item once', () => {
    const all = Array.from({ length: 7 }, (_, i) => i);
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = pageFromList(all, 3, cursor, '/l', { limit: 3 });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(pages).toBe(3);
  });

  it('refuses a cursor it did not issue, naming the field', () => {
    const rule = "cursor: must be a page's nextCursor, unchanged";
    for (const bad of [
      'not base64!',
      encodeCursor({ o: -1 }),
      encodeCursor('x'),
      'e30',
      ['a', 'b'],
    ]) {
      expect(() => decodeCursor(bad, isOffset)).toThrow(rule);
    }
    expect(() => decodeCursor(encodeCursor({ t: 'yesterday', id: 'a' }), isKeyset)).toThrow(rule);
    expect(
      decodeCursor(encodeCursor({ t: '2026-01-01T00:00:00.000Z', id: 'a' }), isKeyset),
    ).toEqual({ t: '2026-01-01T00:00:00.000Z', id: 'a' });
    expect(decodeCursor(undefined, isKeyset)).toBeUndefined();
  });
});
