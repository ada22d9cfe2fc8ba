/*
 * RFC 3339 `date-time` with a mandatory offset, checked by character codes instead of
 * ajv-formats' regular expressions and string splitting: timestamps are on every message,
 * several times, so this is hot. Rules as in ajv-formats' full mode (real calendar dates, a
 * leap second only at 23:59:60 UTC, `T`, `t` or a space between date and time, as RFC 3339
 * section 5.6 allows), except that the offset must be `Z` or `+hh:mm`/`-hh:mm` as RFC 3339
 * requires (ajv-formats also takes `+hh` and `+hhmm`).
 */
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const PLUS = 0x2b;
const SPACE = 0x20;
const LOWER_T = 0x74;
const LOWER_Z = 0x7a;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isRfc3339DateTime(value: string): boolean {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (value.length < 20) return false;
  if (!separatorsAt(value, DASH, 4, 7) || !separatorsAt(value, COLON, 13, 16)) return false;
  const separator = value.charCodeAt(10);
  if ((separator | 0x20) !== LOWER_T && separator !== SPACE) return false;
  const year = number(value, 0, 4);
  const month = number(value, 5, 2);
  const day = number(value, 8, 2);
  const hour = number(value, 11, 2);
  const minute = number(value, 14, 2);
  const second = number(value, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return false;
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return false;
  }
  const offsetStart = skipFraction(value, 19);
  const offsetMinutes = parseOffset(value, offsetStart);
  if (offsetMinutes === undefined) return false;
  if (second === 60) {
    const utcMinutes = (((hour * 60 + minute - offsetMinutes) % 1440) + 1440) % 1440;
    return utcMinutes === 23 * 60 + 59;
  }
  return true;
}

/** Index after an optional `.digits`; -1 when the dot has no digits. */
function skipFraction(value: string, position: number): number {
  if (value.charCodeAt(position) !== DOT) return position;
  let end = position + 1;
  while (isDigit(value.charCodeAt(end))) end++;
  return end === position + 1 ? -1 : end;
}

/** Offset east of UTC in minutes, or undefined when the rest is not `Z` or `+HH:MM`/`-HH:MM`. */
function parseOffset(value: string, position: number): number | undefined {
  if (position < 0) return undefined;
  const sign = value.charCodeAt(position);
  if ((sign | 0x20) === LOWER_Z) return position + 1 === value.length ? 0 : undefined;
  if (sign !== PLUS && sign !== DASH) return undefined;
  if (position + 6 !== value.length || value.charCodeAt(position + 3) !== COLON) return undefined;
  const hours = number(value, position + 1, 2);
  const minutes = number(value, position + 4, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
  const offset = hours * 60 + minutes;
  return sign === PLUS ? offset : -offset;
}

function separatorsAt(value: string, code: number, first: number, second: number): boolean {
  return value.charCodeAt(first) === code && value.charCodeAt(second) === code;
}

/** The decimal number in value[start, start + digits), or -1 if any character is not a digit. */
function number(value: string, start: number, digits: number): number {
  let result = 0;
  for (let index = start; index < start + digits; index++) {
    const code = value.charCodeAt(index);
    if (!isDigit(code)) return -1;
    result = result * 10 + (code - 0x30);
  }
  return result;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : 28;
}
