/** What replaces a secret in log output. */
export const REDACTED = '[REDACTED]';

/** Field names whose values never reach a log line, at any of the first four levels. */
const SECRET_FIELDS = [
  'password',
  'secret',
  'token',
  'authorization',
  'apiKey',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'cookie',
];
const NESTING_PREFIXES = ['', '*.', '*.*.', '*.*.*.'];
const HEADER_SECRETS = [
  'headers["set-cookie"]',
  'headers["x-api-key"]',
  'headers["proxy-authorization"]',
];

/** pino `redact` paths (pino replaces the value by REDACTED while serializing). */
export const REDACT_PATHS: readonly string[] = [
  ...NESTING_PREFIXES.flatMap((prefix) => SECRET_FIELDS.map((field) => prefix + field)),
  ...['', '*.'].flatMap((prefix) => HEADER_SECRETS.map((header) => prefix + header)),
];

/**
 * `scheme://user:password@` or `scheme://token@` inside any text. The user name is kept when a
 * password follows it (useful when debugging), the whole user info otherwise (it may be a token).
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*)(:[^\s/?#@]*)?@/gi;

/** Masks credentials embedded in URLs anywhere in `text`. */
export function redactUrlCredentials(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(URL_CREDENTIALS, (_match, scheme: string, user: string, password?: string) =>
    password === undefined ? `${scheme}${REDACTED}@` : `${scheme}${user}:${REDACTED}@`,
  );
}

const MAX_DEPTH = 8;

/**
 * A copy of a log object with URL credentials masked in every string, to any depth up to 8.
 * Only plain objects and arrays are walked; other values (Error, Date, Buffer) pass unchanged.
 */
export function redactCredentialsDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactCredentialsDeep(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    copy[key] = redactCredentialsDeep(item, depth + 1);
  return copy;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
