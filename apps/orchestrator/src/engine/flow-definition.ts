import type { AuditEntryInput } from '@threadline/audit';
import type { CanonicalDataMap, CommandType, EventType } from '@threadline/contracts';
import type { CloudEventEnvelope } from '@threadline/schema-registry';

/** What a flow may ask of the rest of Threadline while it decides (read-only). */
export interface FlowFacts {
  /** The open maintenance work order on this asset, if the CMMS has one. */
  openWorkOrderFor(assetId: string): Promise<string | undefined>;
}

/** A command a step sends: the engine adds ids, keys, the correlation id and the source. */
export interface CommandRequest<T extends CommandType = CommandType> {
  readonly type: T;
  readonly subject: string;
  readonly data: CanonicalDataMap[T];
}

/** Builds a typed command request (the data is checked against the command's schema type). */
export function command<T extends CommandType>(
  type: T,
  subject: string,
  data: CanonicalDataMap[T],
): CommandRequest<T> {
  return { type, subject, data };
}

/** What an awaited event means for the step. */
export type Verdict<C> =
  /** The step is done; `context` is merged in; `endFlow` ends the flow here, completed. */
  | { readonly accept: true; readonly context?: Partial<C>; readonly endFlow?: string }
  /** The event is not acceptable (e.g. segregation of duties): escalated; the step waits on. */
  | { readonly accept: false; readonly reason: string };

export interface Deadline<C> {
  /** Seconds to wait (from the context, which holds the plant's parameters). */
  readonly seconds: (context: C) => number;
  /** escalate: emit flow.escalated and wait on (re-sending `retries` times); continue: go on. */
  readonly then: 'escalate' | 'continue';
}

/**
 * An audit log entry (libs/audit) for a decision a step makes. The engine writes it in the
 * transaction that makes the decision, adds the flow's id and type (and the command's id) to its
 * detail, and takes the event that moved the flow as its cause unless one is given.
 */
export type StepAudit = Omit<AuditEntryInput, 'at'>;

/** The decisions of a step that go into the audit log; each hook may answer undefined (none). */
export interface StepAuditHooks<C> {
  /** A command sent (the first time: re-sends after a deadline or a failure repeat it). */
  readonly sent?: (context: C, request: CommandRequest) => StepAudit | undefined;
  /** A command's success event (e.g. the ERP placed the hold). */
  readonly answered?: (context: C, answer: CloudEventEnvelope) => StepAudit | undefined;
  /** The awaited event accepted (its verdict's context already merged). */
  readonly accepted?: (context: C, event: CloudEventEnvelope) => StepAudit | undefined;
  /** The awaited event refused by the verdict (e.g. segregation of duties). */
  readonly refused?: (
    context: C,
    event: CloudEventEnvelope,
    reason: string,
  ) => StepAudit | undefined;
}

export interface StepDefinition<C> {
  readonly name: string;
  /** The step runs only when this holds; otherwise it is recorded as skipped. */
  readonly when?: (context: C, facts: FlowFacts) => boolean | Promise<boolean>;
  /** Commands to send; the step is done when each has its success event. */
  readonly send?: (context: C) => readonly CommandRequest[];
  /** What the success events add to the context (a hold id, a work order id ...). */
  readonly answered?: (context: C, answers: readonly CloudEventEnvelope[]) => Partial<C>;
  /** Or: an event to wait for, matched on its subject. */
  readonly await?: {
    readonly event: EventType;
    /** The subject to match (undefined: not known yet). */
    readonly subject: (context: C) => string | undefined;
    readonly verdict?: (context: C, event: CloudEventEnvelope) => Verdict<C>;
  };
  readonly deadline?: Deadline<C>;
  /** Sends of a command step re-sent after a deadline or a failure, at most this often. */
  readonly retries?: (context: C) => number;
  /** Commands that undo this step's effect when a later step fails for good. */
  readonly compensate?: (context: C) => readonly CommandRequest[];
  /** The decisions this step makes, for the audit log. */
  readonly audit?: StepAuditHooks<C>;
}

/**
 * Events a flow takes note of whenever they come while it runs, without a step waiting for them
 * (the holds traceability adds for an NC's descendants). Matched by a key both sides compute.
 */
export interface Collector<C> {
  readonly name: string;
  readonly event: EventType;
  /** The key on the event's side (undefined: not for any flow). */
  readonly key: (event: CloudEventEnvelope) => string | undefined;
  /** The key on the flow's side. */
  readonly subject: (context: C) => string;
  readonly into: (context: C, event: CloudEventEnvelope) => Partial<C>;
}

export interface FlowStart<C> {
  readonly subject: string;
  readonly context: C;
}

export interface FlowTrigger<C, P> {
  readonly event: EventType;
  /** The flow this event starts, or undefined when it starts none. */
  readonly start: (event: CloudEventEnvelope, params: P) => FlowStart<C> | undefined;
}

/**
 * A flow, declared: what starts it and its steps in order. The engine persists where an instance
 * is and runs the steps; a definition holds no state of its own. `P` is the flow's per-plant
 * parameters from configuration, passed to the trigger, which keeps what the steps need in the
 * context (so a restarted flow goes on with the parameters it started with).
 */
export interface FlowDefinition<C extends object = object, P = unknown> {
  readonly type: string;
  readonly triggers: readonly FlowTrigger<C, P>[];
  readonly steps: readonly StepDefinition<C>[];
  readonly collect?: readonly Collector<C>[];
}

/** Declares a flow (typed). */
export function defineFlow<C extends object, P>(
  definition: FlowDefinition<C, P>,
): FlowDefinition<C, P> {
  return definition;
}
