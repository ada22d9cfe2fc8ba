import type { Actor, Quantity } from '../model';

/**
 * Readers for a timeline entry's `data` (the CloudEvent payload as received). The payloads were
 * validated against the catalog on ingest, but a report must still render whatever is stored, so
 * a field of the wrong shape reads as absent instead of throwing.
 */
export type Payload = Readonly<Record<string, unknown>>;

/** A string field, or null. */
export function text(data: Payload, field: string): string | null {
  const value = data[field];
  return typeof value === 'string' ? value : null;
}

/** A finite number field, or null. */
export function numeric(data: Payload, field: string): number | null {
  const value = data[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A catalog `Quantity` field (`{ value, uom }`), or null. */
export function quantity(data: Payload, field: string): Quantity | null {
  return asQuantity(data[field]);
}

export function asQuantity(value: unknown): Quantity | null {
  if (!isRecord(value)) return null;
  const amount = numeric(value, 'value');
  const uom = text(value, 'uom');
  return amount === null || uom === null ? null : { value: amount, uom };
}

/** A catalog `Actor` field (`{ id, kind, name? }`), or null. */
export function actor(data: Payload, field: string): Actor | null {
  const value = data[field];
  if (!isRecord(value)) return null;
  const id = text(value, 'id');
  const kind = text(value, 'kind');
  if (id === null || (kind !== 'user' && kind !== 'system')) return null;
  const name = text(value, 'name');
  return name === null ? { id, kind } : { id, kind, name };
}

/** The strings of an array field (other items dropped), or []. */
export function texts(data: Payload, field: string): string[] {
  const value = data[field];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** The objects of an array field (other items dropped), or []. */
export function records(data: Payload, field: string): Payload[] {
  const value = data[field];
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** An object field, or null. */
export function record(data: Payload, field: string): Payload | null {
  const value = data[field];
  return isRecord(value) ? value : null;
}

export function isRecord(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
