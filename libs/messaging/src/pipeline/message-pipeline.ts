import type { SchemaRegistry, ValidationIssue } from '@threadline/schema-registry';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import {
  BatchExecutor,
  errorMessage,
  type HandledMessage,
  type OutboxAppender,
  type WorkItem,
} from './batch-executor';
import type { HandlerTable } from './handler';
import type { InboundMessage } from './inbound-message';
import { attemptsOf, type DeadLetterKind } from './message-headers';
import type { RetryPolicy } from './retry-policy';
import type { Settlement } from './settlement';

export type { OutboxAppender } from './batch-executor';
export { errorMessage } from './batch-executor';

export interface PipelineObserver {
  /** Called once per message with its settlement and, when a handler ran, its duration. */
  settled(message: InboundMessage, settlement: Settlement, handlerSeconds?: number): void;
  /** Called after a transaction that appended to the outbox has committed. */
  outboxAppended?(): void;
}

export interface MessagePipelineOptions {
  /** The consumer's identity: its queue name. Also the inbox's consumer column. */
  readonly queue: string;
  readonly registry: SchemaRegistry;
  readonly handlers: HandlerTable;
  readonly dataSource: DataSource;
  readonly retryPolicy: RetryPolicy;
  readonly appendToOutbox: OutboxAppender;
  readonly logger: Logger;
  readonly observer?: PipelineObserver;
}

const MAX_ISSUES_IN_REASON = 5;

/**
 * The transport-independent heart of consumption: validate, route, then hand the batch to the
 * executor (inbox, handlers, one transaction) and report each message's settlement. Validation
 * and routing failures are dead-lettered at once, without touching the database.
 */
export class MessagePipeline {
  private readonly executor: BatchExecutor;

  constructor(private readonly options: MessagePipelineOptions) {
    this.executor = new BatchExecutor(options);
  }

  async processBatch(messages: readonly InboundMessage[]): Promise<Settlement[]> {
    const handled = new Array<HandledMessage>(messages.length);
    const work: { index: number; item: WorkItem }[] = [];
    messages.forEach((message, index) => {
      const routed = this.route(message);
      if ('kind' in routed) handled[index] = { settlement: routed };
      else work.push({ index, item: routed });
    });
    if (work.length > 0) {
      const results = await this.runHandlers(work.map((w) => w.item));
      work.forEach((w, i) => (handled[w.index] = results[i]));
    }
    messages.forEach((message, i) => {
      this.options.observer?.settled(message, handled[i].settlement, handled[i].seconds);
      this.logFailure(handled[i].settlement);
    });
    return handled.map((h) => h.settlement);
  }

  /** Validation and routing: a message that fails either is dead-lettered at once. */
  private route(message: InboundMessage): WorkItem | Settlement {
    const result = this.options.registry.validateJson(message.body);
    if (!result.valid) return deadLetterNow(message, 'validation', describeIssues(result.errors));
    const handler = this.options.handlers.resolve(result.event.type);
    if (!handler) {
      const error = `no handler for type '${result.event.type}' on queue ${message.queue}`;
      return { ...deadLetterNow(message, 'unroutable', error), event: result.event };
    }
    return { message, event: result.event, handler };
  }

  private async runHandlers(items: readonly WorkItem[]): Promise<HandledMessage[]> {
    try {
      const { handled, appended } = await this.executor.run(items);
      if (appended) this.options.observer?.outboxAppended?.();
      return handled;
    } catch (error) {
      // The transaction itself failed (database away, commit refused): nothing of the batch
      // was applied, so every message is retried, none counted as handled.
      const reason = `transaction failed: ${errorMessage(error)}`;
      this.options.logger.warn(
        { err: errorMessage(error), batch: items.length },
        'batch rolled back',
      );
      return items.map((item) => ({ settlement: this.executor.failure(item, reason, true) }));
    }
  }

  /** Dead letters are state changes an operator must see; retries are routine (debug). */
  private logFailure(settlement: Settlement): void {
    if (settlement.kind !== 'dead-letter' && settlement.kind !== 'retry') return;
    const fields = {
      correlationid: settlement.event?.correlationid,
      eventId: settlement.event?.id,
      type: settlement.event?.type,
      queue: this.options.queue,
      attempts: settlement.attempts,
      err: settlement.error,
    };
    if (settlement.kind === 'dead-letter') {
      this.options.logger.warn(
        { ...fields, errorKind: settlement.errorKind },
        'message dead-lettered',
      );
    } else {
      this.options.logger.debug(
        { ...fields, delayMs: settlement.delayMs },
        'message scheduled for retry',
      );
    }
  }
}

function deadLetterNow(
  message: InboundMessage,
  errorKind: DeadLetterKind,
  error: string,
): Settlement {
  return { kind: 'dead-letter', errorKind, attempts: attemptsOf(message.headers) + 1, error };
}

export function describeIssues(issues: readonly ValidationIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_IN_REASON).map((i) => `${i.path || '/'} ${i.message}`);
  const more = issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; (+${more} more)` : shown.join('; ');
}
