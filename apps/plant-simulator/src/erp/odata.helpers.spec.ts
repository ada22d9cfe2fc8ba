import { HttpError } from '../http/http-router';
import { applyQueryOptions, parseFilter, toODataDate } from './odata.helpers';

const rows = [
  { Batch: 'A', Plant: '1000', LastChangeDateTime: '2026-05-14T08:00:00.000Z' },
  { Batch: 'B', Plant: '2000', LastChangeDateTime: '2026-05-14T09:00:00.000Z' },
  { Batch: 'C', Plant: '1000', LastChangeDateTime: '2026-05-14T10:00:00.000Z' },
];

const query = (text: string) => new URLSearchParams(text);

describe('OData v2 query options', () => {
  it('compares datetime literals without an offset as UTC and is strict for gt', () => {
    const { page } = applyQueryOptions(
      rows,
      query("$filter=LastChangeDateTime gt datetime'2026-05-14T09:00:00'"),
    );
    expect(page.map((row) => row.Batch)).toEqual(['C']);
  });

  it('combines conditions with and, including quoted strings', () => {
    const filter =
      "$filter=Plant eq '1000' and LastChangeDateTime ge datetimeoffset'2026-05-14T08:00:00Z'";
    expect(applyQueryOptions(rows, query(filter)).page.map((row) => row.Batch)).toEqual(['A', 'C']);
  });

  it('orders descending, skips and takes', () => {
    const { page, total } = applyQueryOptions(
      rows,
      query('$orderby=LastChangeDateTime desc&$skip=1&$top=1'),
    );
    expect(page.map((row) => row.Batch)).toEqual(['B']);
    expect(total).toBe(3);
  });

  it('rejects unsupported expressions and unknown properties with a 400', () => {
    expect(() => parseFilter('startswith(Batch, 1)')).toThrow(HttpError);
    expect(() => applyQueryOptions(rows, query("$filter=Nope eq 'x'"))).toThrow(
      /Nope does not exist/,
    );
    expect(() => applyQueryOptions(rows, query('$top=-1'))).toThrow(/\$top/);
  });

  it('renders dates the way SAP Gateway does', () => {
    expect(toODataDate('2026-05-14T08:30:00.000Z')).toBe('/Date(1778747400000+0000)/');
  });
});
