import { isRetryable } from '@threadline/core';
import type {
  CloudEventEnvelope,
  SchemaRegistry,
  ValidationIssue,
} from '@threadline/schema-registry';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { HandlerContext, HandlerResult, HandlerTable, MessageHandler } from './handler';
import type { InboundMessage } from './inbound-message';
import { commandFailedEvent } from './command-failed';
import { recordInboxEntry } from './inbox.repository';
import { attemptsOf, type DeadLetterKind } from './message-headers';
import { nextRetryDelay, type RetryPolicy } from './retry-policy';
import type { Settlement } from './settlement';
import { withSavepoint, withTransaction } from './transaction';

/** Writes an event to the outbox inside the given transaction (the EventPublisher does this). */
export type OutboxAppender = (manager: EntityManager, event: CloudEventEnvelope) => Promise<void>;

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

interface WorkItem {
  readonly message: InboundMessage;
  readonly event: CloudEventEnvelope;
  readonly handler: MessageHandler;
}

interface HandledMessage {
  readonly settlement: Settlement;
  readonly seconds?: number;
}

const MAX_ISSUES_IN_REASON = 5;

/**
 * The transport-independent heart of consumption: validate, route, de-duplicate through the
 * inbox, run handlers, and decide each message's settlement. A batch shares one database
 * transaction (one commit for many messages); each message runs in its own savepoint, so one
 * failing handler undoes only its own writes.
 */
export class MessagePipeline {
  constructor(private readonly options: MessagePipelineOptions) {}

  async processBatch(messages: readonly InboundMessage[]): Promise<Settlement[]> {
    const settlements = new Array<Settlement>(messages.length);
    const handlerSeconds = new Array<number | undefined>(messages.length);
    const work: { index: number; item: WorkItem }[] = [];
    messages.forEach((message, index) => {
      const routed = this.route(message);
      if ('kind' in routed) settlements[index] = routed;
      else work.push({ index, item: routed });
    });
    if (work.length > 0) {
      const results = await this.runHandlers(work.map((w) => w.item));
      work.forEach((w, i) => {
        settlements[w.index] = results[i].settlement;
        handlerSeconds[w.index] = results[i].seconds;
      });
    }
    messages.forEach((message, i) =>
      this.options.observer?.settled(message, settlements[i], handlerSeconds[i]),
    );
    return settlements;
  }

  /** Validation and routing: a message that fails either is dead-lettered at once. */
  private route(message: InboundMessage): WorkItem | Settlement {
    const result = this.options.registry.validateJson(message.body);
    if (!result.valid) {
      return deadLetterNow(message, 'validation', describeIssues(result.errors));
    }
    const handler = this.options.handlers.resolve(result.event.type);
    if (!handler) {
      const error = `no handler for type '${result.event.type}' on queue ${message.queue}`;
      return { ...deadLetterNow(message, 'unroutable', error), event: result.event };
    }
    return { message, event: result.event, handler };
  }

  private async runHandlers(items: readonly WorkItem[]): Promise<HandledMessage[]> {
    let appended = false;
    try {
      const handled = await withTransaction(this.options.dataSource, async (runner) => {
        const results: HandledMessage[] = [];
        for (const item of items) {
          const outcome = await this.runOne(runner.manager, item);
          appended ||= outcome.appended;
          results.push(outcome);
        }
        return results;
      });
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
      return items.map((item) => ({ settlement: this.failure(item, reason, true) }));
    }
  }

  private async runOne(
    manager: EntityManager,
    item: WorkItem,
  ): Promise<HandledMessage & { appended: boolean }> {
    let appended = false;
    let seconds: number | undefined;
    const settlement = await withSavepoint(manager, 'threadline_message', async () => {
      const fresh = await recordInboxEntry(manager, {
        consumer: this.options.queue,
        idempotencyKey: item.event.idempotencykey,
        messageId: item.event.id,
      });
      if (!fresh)
        return { keep: true, value: { kind: 'duplicate', event: item.event } as Settlement };
      const started = process.hrtime.bigint();
      const result = await this.invoke(manager, item, () => (appended = true));
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const settlement = this.settlementOf(item, result);
      if (settlement.kind !== 'ack') appended = false;
      return { keep: settlement.kind === 'ack', value: settlement };
    });
    if (settlement.kind === 'dead-letter') {
      // Outside the rolled-back savepoint, inside the batch: the report commits with the ack.
      const failed = commandFailedEvent(this.options.registry, item.event, {
        error: settlement.error,
        attempts: settlement.attempts,
        queue: item.message.queue,
      });
      if (failed) {
        await this.options.appendToOutbox(manager, failed);
        appended = true;
      }
    }
    return { settlement, appended, seconds };
  }

  /** Runs the handler; a throw becomes a value, so only infrastructure errors escape. */
  private async invoke(
    manager: EntityManager,
    item: WorkItem,
    onAppend: () => void,
  ): Promise<HandlerResult | { thrown: unknown }> {
    const context: HandlerContext = {
      event: item.event,
      queue: item.message.queue,
      attempt: attemptsOf(item.message.headers) + 1,
      manager,
      publish: async (event) => {
        await this.options.appendToOutbox(manager, event);
        onAppend();
      },
      logger: this.options.logger.child({
        correlationid: item.event.correlationid,
        eventId: item.event.id,
      }),
    };
    try {
      return await item.handler(item.event, context);
    } catch (thrown) {
      return { thrown };
    }
  }

  private settlementOf(item: WorkItem, result: HandlerResult | { thrown: unknown }): Settlement {
    if (!result) return { kind: 'ack', event: item.event };
    if ('thrown' in result) {
      return this.failure(item, errorMessage(result.thrown), isRetryable(result.thrown));
    }
    return this.failure(item, result.reason, result.outcome === 'retry');
  }

  private failure(item: WorkItem, error: string, retryable: boolean): Settlement {
    const attempts = attemptsOf(item.message.headers) + 1;
    if (!retryable)
      return { kind: 'dead-letter', errorKind: 'handler', attempts, error, event: item.event };
    const delayMs = nextRetryDelay(this.options.retryPolicy, attempts);
    if (delayMs === undefined) {
      return { kind: 'dead-letter', errorKind: 'max-attempts', attempts, error, event: item.event };
    }
    return { kind: 'retry', delayMs, attempts, error, event: item.event };
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

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
