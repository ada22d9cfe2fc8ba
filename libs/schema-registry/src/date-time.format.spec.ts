import { isRfc3339DateTime } from './date-time.format';

describe('isRfc3339DateTime', () => {
  it.each([
    '2026-05-14T08:30:00Z',
    '2026-05-14T08:30:00z',
    '2026-05-14t08:30:00+02:00',
    '2026-05-14 08:30:00-05:30',
    '2026-05-14T08:30:00.123456789Z',
    '2024-02-29T00:00:00Z',
    '2000-02-29T23:59:59+14:00',
    '2016-12-31T23:59:60Z',
    '2017-01-01T00:59:60+01:00',
  ])('accepts %s', (value) => {
    expect(isRfc3339DateTime(value)).toBe(true);
  });

  it.each([
    ['no offset', '2026-05-14T08:30:00'],
    ['offset without colon', '2026-05-14T08:30:00+0200'],
    ['offset hours only', '2026-05-14T08:30:00+02'],
    ['date only', '2026-05-14'],
    ['month 13', '2026-13-14T08:30:00Z'],
    ['day 0', '2026-05-00T08:30:00Z'],
    ['31 April', '2026-04-31T08:30:00Z'],
    ['29 February outside a leap year', '2026-02-29T08:30:00Z'],
    ['29 February 1900', '1900-02-29T08:30:00Z'],
    ['hour 24', '2026-05-14T24:00:00Z'],
    ['minute 60', '2026-05-14T08:60:00Z'],
    ['leap second not at 23:59 UTC', '2026-05-14T08:30:60Z'],
    ['fraction without digits', '2026-05-14T08:30:00.Z'],
    ['offset hour 24', '2026-05-14T08:30:00+24:00'],
    ['trailing text', '2026-05-14T08:30:00Zx'],
    ['letters for digits', '2026-O5-14T08:30:00Z'],
    ['another separator', '2026-05-14_08:30:00Z'],
  ])('rejects %s', (_reason, value) => {
    expect(isRfc3339DateTime(value)).toBe(false);
  });
});
