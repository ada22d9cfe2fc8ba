import { randomUUID } from 'node:crypto';
import type { CanonicalDataByMajor } from './generated/data-map';

/**
 * A canonical CloudEvents 1.0 envelope (EVENT-CATALOG.md section 1). `TData` defaults to
 * `object` (not `Record<string, unknown>`) so that every typed envelope is also a `CloudEvent`.
 */
export interface CloudEvent<TType extends string = string, TData = object> {
  specversion: '1.0';
  id: string;
  type: TType;
  source: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  dataschema: string;
  correlationid: string;
  causationid?: string;
  idempotencykey: string;
  plant: string;
  traceparent?: string;
  data: TData;
}

/** Every event and command type (the same set as CanonicalType, as the map's keys). */
type KnownType = keyof CanonicalDataByMajor;
/** The majors a type has a schema for. */
export type MajorOf<TType extends KnownType> = keyof CanonicalDataByMajor[TType] & number;
/** The data payload of `TType` at major `TMajor`. */
export type DataOf<
  TType extends KnownType,
  TMajor extends MajorOf<TType> = Extract<MajorOf<TType>, 1>,
> = CanonicalDataByMajor[TType][TMajor];

/** Who emits the message: becomes `plant` and `source` (`/plants/{plant}/{system}/{connectorId}`). */
export interface SourceIdentity {
  plant: string;
  system: string;
  connectorId: string;
}

/**
 * The source fact a message reports, which makes the idempotency key: the same fact seen again
 * (a retry, a re-poll, a duplicate webhook) gets the same key. Either its parts, giving
 * `{system}:{objectId}:{fact}` (e.g. `qms:NCR-000123:raised`), or a complete key.
 */
export type SourceFact = { system: string; objectId: string; fact: string } | { key: string };

/** The message that caused this one: its correlation id carries over, its id becomes causationid. */
export type Cause = Pick<CloudEvent, 'id' | 'correlationid'>;

export interface BuildEnvelopeInput<TType extends KnownType, TMajor extends MajorOf<TType>> {
  type: TType;
  data: CanonicalDataByMajor[TType][TMajor];
  /** Id of the main business object (the NCR id, the lot id ...). */
  subject: string;
  source: SourceIdentity;
  fact: SourceFact;
  /** When it happened at the source; default now. */
  time?: Date | string;
  cause?: Cause;
  /** Schema major of `data`; default 1. */
  major?: TMajor;
  traceparent?: string;
  /** Message id; default a random UUID. For tests and for re-sending a stored message. */
  id?: string;
}

// Parts of an idempotency key must not contain ':' so that the key reads back unambiguously.
const KEY_PART = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Wraps canonical `data` in a complete envelope; the data type is checked against the type. */
export function buildEnvelope<
  TType extends KnownType,
  TMajor extends MajorOf<TType> = Extract<MajorOf<TType>, 1>,
>(
  input: BuildEnvelopeInput<TType, TMajor>,
): CloudEvent<TType, CanonicalDataByMajor[TType][TMajor]> {
  const id = input.id ?? randomUUID();
  const major: number = input.major ?? 1;
  const envelope: CloudEvent<TType, CanonicalDataByMajor[TType][TMajor]> = {
    specversion: '1.0',
    id,
    type: input.type,
    source: sourceUri(input.source),
    time: sourceTime(input.time),
    subject: input.subject,
    datacontenttype: 'application/json',
    dataschema: dataschemaFor(input.type, major),
    correlationid: input.cause?.correlationid ?? id,
    idempotencykey: idempotencyKey(input.fact),
    plant: input.source.plant,
    data: input.data,
  };
  if (input.cause !== undefined) envelope.causationid = input.cause.id;
  if (input.traceparent !== undefined) envelope.traceparent = input.traceparent;
  return envelope;
}

/** `urn:threadline:schema:{type}:{major}`, the envelope's `dataschema`. */
export function dataschemaFor(type: string, major = 1): string {
  if (!Number.isInteger(major) || major < 1) {
    throw new RangeError(`major must be a whole number of 1 or more, got ${major}`);
  }
  return `urn:threadline:schema:${type}:${major}`;
}

/** The idempotency key of a source fact, e.g. `qms:NCR-000123:raised`. */
export function idempotencyKey(fact: SourceFact): string {
  if ('key' in fact) {
    if (fact.key === '') throw new RangeError('fact.key must not be empty');
    return fact.key;
  }
  requireKeyPart('fact.system', fact.system);
  requireKeyPart('fact.fact', fact.fact);
  if (fact.objectId === '') throw new RangeError('fact.objectId must not be empty');
  return `${fact.system}:${fact.objectId}:${fact.fact}`;
}

function sourceUri(source: SourceIdentity): string {
  return `/plants/${source.plant}/${source.system}/${source.connectorId}`;
}

function sourceTime(time: Date | string | undefined): string {
  if (time === undefined) return new Date().toISOString();
  if (typeof time === 'string') return time;
  if (Number.isNaN(time.getTime())) throw new RangeError('time must be a valid Date');
  return time.toISOString();
}

function requireKeyPart(name: string, value: string): void {
  if (!KEY_PART.test(value)) {
    throw new RangeError(
      `${name} must be letters, digits, '.', '_' or '-' (no ':'), got ${JSON.stringify(value)}`,
    );
  }
}
