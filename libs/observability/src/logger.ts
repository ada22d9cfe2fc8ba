import { hostname } from 'node:os';
import { ThreadlineError } from '@threadline/core';
import pino, { type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';
import {
  REDACTED,
  REDACT_PATHS,
  redactCredentialsDeep,
  redactUrlCredentials,
} from './log-redaction';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** The service name, on every line (e.g. `connector-erp`). */
  service: string;
  /** Minimum level; default LOG_LEVEL, else `info`. */
  level?: string;
  /** Where lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * A JSON logger: one object per line with `level` (name), ISO `time`, `service`, and secrets
 * removed: secret-named fields by pino's redaction, URL credentials in any string by the
 * formatters below (message, merged object, bindings and serialized errors alike).
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = resolveLevel(options.level);
  const config: PinoOptions = {
    level,
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redactCredentialsDeep(bindings) as pino.Bindings,
      log: (object) => redactCredentialsDeep(object) as Record<string, unknown>,
    },
    serializers: {
      err: redactedErrorSerializer,
      error: redactedErrorSerializer,
    },
    hooks: { logMethod: redactMessageArguments },
  };
  const logger =
    options.destination === undefined ? pino(config) : pino(config, options.destination);
  return redactChildBindings(logger);
}

/** The envelope attributes that identify an event in logs (a CloudEvent fits). */
export interface EventLogContext {
  id: string;
  correlationid?: string;
  type?: string;
}

/**
 * A child logger whose every line carries the event's `correlationid`, `eventId` and
 * `eventType`, so a business transaction can be followed through the logs of all services.
 */
export function withEventContext(logger: Logger, event: EventLogContext): Logger {
  return logger.child({
    correlationid: event.correlationid,
    eventId: event.id,
    eventType: event.type,
  });
}

function resolveLevel(explicit: string | undefined): string {
  const fromEnvironment = process.env.LOG_LEVEL?.trim();
  const level = (
    explicit ??
    (fromEnvironment === '' ? undefined : fromEnvironment) ??
    'info'
  ).toLowerCase();
  if (!LEVELS.includes(level)) {
    const field = explicit === undefined ? 'LOG_LEVEL' : 'level';
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      `${field} must be one of ${LEVELS.join(', ')}; got '${level}'`,
    );
  }
  return level;
}

/**
 * pino applies `formatters.bindings` to the root bindings only, so `child()` is wrapped to mask
 * URL credentials in child bindings too. Children are created from their parent by prototype,
 * so the wrapper set on the root serves every descendant.
 */
function redactChildBindings(logger: Logger): Logger {
  // Unbound on purpose: it is called with the instance being extended (root or descendant).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const child = logger.child;
  function redactingChild<ChildLevels extends string = never>(
    this: Logger,
    bindings: pino.Bindings,
    childOptions?: pino.ChildLoggerOptions<ChildLevels>,
  ): Logger<ChildLevels> {
    const redacted = redactCredentialsDeep(bindings);
    return Reflect.apply(child, this, [redacted, childOptions]) as Logger<ChildLevels>;
  }
  logger.child = redactingChild;
  return logger;
}

function redactedErrorSerializer(value: unknown): unknown {
  // The standard serializer returns an object with a custom prototype; spread it into a plain
  // object so the credential walk (which only walks plain objects) reaches message and stack.
  const serialized = value instanceof Error ? { ...pino.stdSerializers.err(value) } : value;
  return redactCredentialsDeep(serialized);
}

/**
 * Masks URL credentials in the message and format arguments. A lone Error argument gets its
 * message passed explicitly (pino would otherwise copy `err.message` unmasked into `msg`).
 */
function redactMessageArguments(
  this: Logger,
  args: Parameters<pino.LogFn>,
  method: pino.LogFn,
): void {
  const [first, ...rest] = args as unknown[];
  if (first instanceof Error && typeof rest[0] !== 'string') {
    method.apply(this, [first, redactUrlCredentials(first.message)]);
    return;
  }
  const redacted = args.map((arg: unknown) =>
    typeof arg === 'string' ? redactUrlCredentials(arg) : arg,
  ) as Parameters<pino.LogFn>;
  method.apply(this, redacted);
}
