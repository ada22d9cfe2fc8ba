import type { CloudEventEnvelope } from '@threadline/schema-registry';

/** Header names on the wire (EVENT-CATALOG §1-2). */
export const Header = {
  IdempotencyKey: 'x-idempotency-key',
  Attempts: 'x-attempts',
  ErrorKind: 'x-error-kind',
  ErrorMessage: 'x-error-message',
  FirstFailedAt: 'x-first-failed-at',
  LastFailedAt: 'x-last-failed-at',
  OriginalQueue: 'x-original-queue',
} as const;

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

export type DeadLetterKind = 'validation' | 'handler' | 'unroutable' | 'max-attempts';

export type MessageHeaders = Record<string, unknown>;

/** AMQP properties of a CloudEvent (catalog §1), independent of the client library. */
export interface MessageProperties {
  contentType: string;
  messageId: string;
  correlationId: string;
  type: string;
  timestamp: number;
  persistent: true;
  headers: MessageHeaders;
}

export function propertiesFor(
  event: CloudEventEnvelope,
  publishedAt = Date.now(),
): MessageProperties {
  return {
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    messageId: event.id,
    correlationId: event.correlationid,
    type: event.type,
    timestamp: Math.floor(publishedAt / 1000),
    persistent: true,
    headers: { [Header.IdempotencyKey]: event.idempotencykey },
  };
}

/** Failed attempts so far, from the header; garbage counts as none. */
export function attemptsOf(headers: MessageHeaders): number {
  const value = Number(headers[Header.Attempts] ?? 0);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/** Error messages travel in headers: keep them to one bounded line. */
export function headerSafe(message: string, max = 1_000): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** Headers of a message leaving for a retry tier or the DLQ after a failed attempt. */
export function failureHeaders(
  headers: MessageHeaders,
  failure: { attempts: number; error: string; queue: string; kind?: DeadLetterKind },
  now = new Date(),
): MessageHeaders {
  const at = now.toISOString();
  const next: MessageHeaders = { ...withoutBrokerHeaders(headers) };
  next[Header.Attempts] = failure.attempts;
  next[Header.ErrorMessage] = headerSafe(failure.error);
  next[Header.FirstFailedAt] = headers[Header.FirstFailedAt] ?? at;
  next[Header.LastFailedAt] = at;
  next[Header.OriginalQueue] = headers[Header.OriginalQueue] ?? failure.queue;
  if (failure.kind) next[Header.ErrorKind] = failure.kind;
  else delete next[Header.ErrorKind];
  return next;
}

/** Headers for a re-driven message: its failure history goes, the attempt count restarts. */
export function redriveHeaders(headers: MessageHeaders): MessageHeaders {
  const next = { ...withoutBrokerHeaders(headers) };
  for (const name of [
    Header.Attempts,
    Header.ErrorKind,
    Header.ErrorMessage,
    Header.FirstFailedAt,
    Header.LastFailedAt,
    Header.OriginalQueue,
  ]) {
    delete next[name];
  }
  return next;
}

/** RabbitMQ's own dead-letter bookkeeping grows with every tier pass: do not carry it along. */
function withoutBrokerHeaders(headers: MessageHeaders): MessageHeaders {
  const {
    'x-death': _death,
    'x-first-death-exchange': _exchange,
    'x-first-death-queue': _queue,
    'x-first-death-reason': _reason,
    'x-delivery-count': _count,
    ...rest
  } = headers;
  return rest;
}
