/** OData v2 JSON dates (`/Date(1715675400000+0000)/`) as ISO 8601; other values as they are. */
export function fromODataDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  if (match) return new Date(Number(match[1])).toISOString();
  return Number.isNaN(Date.parse(value)) ? undefined : new Date(value).toISOString();
}

/** A string literal in `$filter`: single quotes doubled, as OData requires. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The service root of a path below the OData base: `/ZTL_BATCH_STOCK_SRV/BatchHoldSet` -> `/ZTL_BATCH_STOCK_SRV/`. */
export function serviceRootOf(path: string): string {
  const [, root] = /^\/([^/?]+)/.exec(path) ?? [];
  return root ? `/${root}/` : '/';
}

/** `{ d: { results: [...] } }` or `{ d: [...] }` -> the records. */
export function odataResults(body: unknown): unknown[] | undefined {
  const d = (body as { d?: unknown } | undefined)?.d;
  if (Array.isArray(d)) return d as unknown[];
  const results = (d as { results?: unknown } | undefined)?.results;
  return Array.isArray(results) ? results : undefined;
}

/** `{ d: {...} }` -> the entity. */
export function odataEntity(body: unknown): Record<string, unknown> | undefined {
  const d = (body as { d?: unknown } | undefined)?.d;
  return typeof d === 'object' && d !== null && !Array.isArray(d)
    ? (d as Record<string, unknown>)
    : undefined;
}
