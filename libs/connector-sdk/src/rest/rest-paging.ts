/** How a REST API pages a change feed: the query parameters and the answer's field names. */
export interface RestPaging {
  /** Query parameter carrying the cursor (e.g. `since`); left out on the first poll. */
  cursorParam: string;
  /** Query parameter carrying the page size (e.g. `limit`). */
  limitParam: string;
  /** Field of the answer holding the records (e.g. `items`). */
  itemsField: string;
  /** Field holding the cursor to send next (e.g. `nextCursor`). */
  nextCursorField: string;
  /** Field telling whether more records wait (e.g. `hasMore`). */
  hasMoreField: string;
}

const FIELDS: readonly (keyof RestPaging)[] = [
  'cursorParam',
  'limitParam',
  'itemsField',
  'nextCursorField',
  'hasMoreField',
];

/** The paging in `spec.options.paging` over the adapter's defaults, or the problems with it. */
export function restPaging(
  options: Record<string, unknown>,
  defaults: RestPaging,
): { paging: RestPaging; problems: string[] } {
  const given = options.paging;
  if (given === undefined) return { paging: defaults, problems: [] };
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    return { paging: defaults, problems: ['paging must be an object'] };
  }
  const paging = { ...defaults };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(given)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      problems.push(`paging.${key} is not a paging setting; known: ${FIELDS.join(', ')}`);
    } else if (typeof value !== 'string' || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(value)) {
      problems.push(`paging.${key} must be a field or parameter name`);
    } else {
      paging[key as keyof RestPaging] = value;
    }
  }
  return { paging, problems };
}
