import { HttpError, type SimResponse } from '../http/http-router';

/** OData v2 JSON dates: `/Date(1715675400000+0000)/` (Edm.DateTimeOffset as SAP renders it). */
export function toODataDate(iso: string): string {
  return `/Date(${Date.parse(iso)}+0000)/`;
}

/** SAP-style weak ETag derived from the entity's change timestamp. */
export function etagFor(lastChange: string): string {
  return `W/"datetimeoffset'${encodeURIComponent(lastChange)}'"`;
}

export function odataError(error: HttpError): SimResponse {
  return {
    status: error.status,
    headers: error.headers,
    body: { error: { code: error.code, message: { lang: 'en', value: error.message } } },
  };
}

export interface EntityDescriptor<T> {
  /** e.g. `ZTL_BATCH_STOCK_SRV.BatchHold` */
  type: string;
  /** service root, e.g. `/sap/opu/odata/sap/ZTL_BATCH_STOCK_SRV` */
  serviceRoot: string;
  entitySet: string;
  key(entity: T): string;
  lastChange(entity: T): string;
  dateFields: readonly string[];
}

/** Renders an entity in OData v2 JSON: `__metadata`, dates as `/Date(...)/`. */
export function toODataEntity<T extends object>(
  entity: T,
  descriptor: EntityDescriptor<T>,
): object {
  const uri = `${descriptor.serviceRoot}/${descriptor.entitySet}('${descriptor.key(entity)}')`;
  const rendered: Record<string, unknown> = {
    __metadata: {
      id: uri,
      uri,
      type: descriptor.type,
      etag: etagFor(descriptor.lastChange(entity)),
    },
  };
  for (const [field, value] of Object.entries(entity)) {
    rendered[field] =
      descriptor.dateFields.includes(field) && typeof value === 'string'
        ? toODataDate(value)
        : value;
  }
  return rendered;
}

type Comparable = string | number | boolean;
interface Condition {
  field: string;
  operator: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
  value: Comparable;
  isDate: boolean;
}

const CONDITION =
  /^\s*(\w+)\s+(eq|ne|gt|ge|lt|le)\s+(datetime'[^']*'|datetimeoffset'[^']*'|'(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false)\s*$/;

function parseLiteral(literal: string): { value: Comparable; isDate: boolean } {
  const date = /^datetime(?:offset)?'([^']*)'$/.exec(literal);
  if (date) {
    const text = date[1];
    // `datetime'2026-05-14T08:30:00'` has no offset; SAP reads it as UTC.
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
    if (Number.isNaN(ms))
      throw new HttpError(400, 'INVALID_FILTER', `Invalid date literal ${literal}`);
    return { value: ms, isDate: true };
  }
  if (literal.startsWith("'"))
    return { value: literal.slice(1, -1).replace(/''/g, "'"), isDate: false };
  if (literal === 'true' || literal === 'false')
    return { value: literal === 'true', isDate: false };
  return { value: Number(literal), isDate: false };
}

/** Supports `Field op literal [and Field op literal ...]`, enough for change polling and lookups. */
export function parseFilter(filter: string): Condition[] {
  return filter.split(/\s+and\s+/i).map((part) => {
    const match = CONDITION.exec(part);
    if (!match) {
      throw new HttpError(400, 'INVALID_FILTER', `Unsupported $filter expression: ${part.trim()}`);
    }
    return {
      field: match[1],
      operator: match[2] as Condition['operator'],
      ...parseLiteral(match[3]),
    };
  });
}

function compare(left: Comparable, right: Comparable): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

function matches(entity: Record<string, unknown>, condition: Condition): boolean {
  const raw = entity[condition.field];
  if (raw === undefined) {
    throw new HttpError(400, 'INVALID_FILTER', `Property ${condition.field} does not exist`);
  }
  const actual =
    condition.isDate && typeof raw === 'string' ? Date.parse(raw) : (raw as Comparable);
  const order = compare(actual, condition.value);
  switch (condition.operator) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
  }
}

function readCount(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new HttpError(400, 'INVALID_QUERY', `${name} must be a non-negative integer`);
  }
  return value;
}

/** Applies `$filter`, `$orderby`, `$skip`, `$top` to a collection; returns page and total. */
export function applyQueryOptions<T extends object>(
  items: T[],
  query: URLSearchParams,
): { page: T[]; total: number } {
  let result = [...items];
  const filter = query.get('$filter');
  if (filter) {
    const conditions = parseFilter(filter);
    result = result.filter((item) =>
      conditions.every((condition) => matches(item as Record<string, unknown>, condition)),
    );
  }
  const orderBy = query.get('$orderby');
  if (orderBy) {
    const keys = orderBy.split(',').map((part) => {
      const [field, direction = 'asc'] = part.trim().split(/\s+/);
      if (!field || (direction !== 'asc' && direction !== 'desc')) {
        throw new HttpError(400, 'INVALID_QUERY', `Invalid $orderby: ${part.trim()}`);
      }
      return { field, sign: direction === 'asc' ? 1 : -1 };
    });
    result.sort((left, right) => {
      for (const { field, sign } of keys) {
        const order = compare(
          (left as Record<string, Comparable>)[field],
          (right as Record<string, Comparable>)[field],
        );
        if (order !== 0) return order * sign;
      }
      return 0;
    });
  }
  const skip = readCount(query, '$skip') ?? 0;
  const top = readCount(query, '$top');
  return {
    page: result.slice(skip, top === undefined ? undefined : skip + top),
    total: result.length,
  };
}

/** `{ d: { results, __count? } }` for a collection. */
export function odataCollection(
  page: object[],
  total: number,
  query: URLSearchParams,
): SimResponse {
  const d: Record<string, unknown> = { results: page };
  if (query.get('$inlinecount') === 'allpages') d.__count = String(total);
  return { status: 200, body: { d } };
}
