import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { topicMatches } from '../topology';
import type { BufferedInsert } from './insert-buffer';

/** What a handler sees: the validated event and the transaction its effects commit in. */
export interface HandlerContext {
  readonly event: CloudEventEnvelope;
  /** The message exactly as received (the validated CloudEvent JSON). */
  readonly body: Buffer;
  readonly queue: string;
  /** 1 on the first delivery, counting every failed attempt before this one. */
  readonly attempt: number;
  /** The transaction the inbox row commits in: write the handler's effects through it. */
  readonly manager: EntityManager;
  /** Publish through the outbox, in this same transaction: sent only if the handler commits. */
  publish(event: CloudEventEnvelope): Promise<void>;
  /**
   * Append a row written later in this transaction, with the batch's other rows in one
   * multi-row INSERT: the fast way for handlers that only record facts.
   */
  bufferInsert(insert: BufferedInsert, values: readonly unknown[]): void;
  readonly logger: Logger;
}

/**
 * Handlers return their outcome (STYLE.md §3). Returning nothing acknowledges. Throwing is
 * classified by `isRetryable` (PermanentError -> DLQ, anything else -> retry tier).
 */
export type HandlerResult =
  | void
  | { readonly outcome: 'retry'; readonly reason: string }
  | { readonly outcome: 'dead-letter'; readonly reason: string };

export type MessageHandler = (
  event: CloudEventEnvelope,
  context: HandlerContext,
) => Promise<HandlerResult> | HandlerResult;

export function retryLater(reason: string): HandlerResult {
  return { outcome: 'retry', reason };
}

export function deadLetter(reason: string): HandlerResult {
  return { outcome: 'dead-letter', reason };
}

/** Handlers by topic pattern; an exact pattern wins over a wildcard one. */
export class HandlerTable {
  private readonly exact = new Map<string, MessageHandler>();
  private readonly wildcard: [string, MessageHandler][] = [];

  constructor(entries: Iterable<readonly [string, MessageHandler]>) {
    for (const [pattern, handler] of entries) {
      if (pattern.includes('*') || pattern.includes('#')) this.wildcard.push([pattern, handler]);
      else this.exact.set(pattern, handler);
    }
  }

  resolve(type: string): MessageHandler | undefined {
    const exact = this.exact.get(type);
    if (exact) return exact;
    return this.wildcard.find(([pattern]) => topicMatches(pattern, type))?.[1];
  }

  patterns(): string[] {
    return [...this.exact.keys(), ...this.wildcard.map(([pattern]) => pattern)];
  }
}
