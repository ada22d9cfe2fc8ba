import { isRetryable } from '@threadline/core';
import type { CloudEventEnvelope, SchemaRegistry } from '@threadline/schema-registry';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { commandFailedEvent } from './command-failed';
import type { HandlerContext, HandlerResult, MessageHandler } from './handler';
import type { InboundMessage } from './inbound-message';
import { recordInboxEntries, recordInboxEntry } from './inbox.repository';
import { InsertBuffer } from './insert-buffer';
import { attemptsOf } from './message-headers';
import { nextRetryDelay, type RetryPolicy } from './retry-policy';
import type { Settlement } from './settlement';
import { withSavepoint, withTransaction } from './transaction';

/** Writes an event to the outbox inside the given transaction (the EventPublisher does this). */
export type OutboxAppender = (manager: EntityManager, event: CloudEventEnvelope) => Promise<void>;

export interface WorkItem {
  readonly message: InboundMessage;
  readonly event: CloudEventEnvelope;
  readonly handler: MessageHandler;
}

export interface HandledMessage {
  readonly settlement: Settlement;
  readonly seconds?: number;
}

export interface BatchResult {
  readonly handled: HandledMessage[];
  /** Whether the committed transaction added rows to the outbox. */
  readonly appended: boolean;
}

export interface BatchExecutorOptions {
  readonly queue: string;
  readonly registry: SchemaRegistry;
  readonly dataSource: DataSource;
  readonly retryPolicy: RetryPolicy;
  readonly appendToOutbox: OutboxAppender;
  readonly logger: Logger;
}

/** A handler in the optimistic pass did not succeed: redo the batch message by message. */
class BatchNeedsIsolation extends Error {}

/**
 * Runs a batch's handlers in one transaction. First optimistically: one multi-row inbox insert,
 * every handler without savepoints, buffered inserts flushed as multi-row statements; a batch of
 * successes (the normal case) costs a handful of statements. If anything in it fails, that
 * transaction is rolled back and the batch runs again isolated: each message in its own
 * savepoint, so a failure undoes only its own writes. Handlers must therefore be idempotent
 * towards anything outside the database, which Threadline requires of them anyway.
 */
export class BatchExecutor {
  constructor(private readonly options: BatchExecutorOptions) {}

  async run(items: readonly WorkItem[]): Promise<BatchResult> {
    if (items.length > 1) {
      try {
        return await withTransaction(this.options.dataSource, (runner) =>
          this.runOptimistic(runner.manager, items),
        );
      } catch (error) {
        if (!(error instanceof BatchNeedsIsolation)) {
          this.options.logger.debug(
            { err: (error as Error).message },
            'optimistic batch failed; isolating',
          );
        }
      }
    }
    return withTransaction(this.options.dataSource, (runner) =>
      this.runIsolated(runner.manager, items),
    );
  }

  private async runOptimistic(
    manager: EntityManager,
    items: readonly WorkItem[],
  ): Promise<BatchResult> {
    const firstOfKey = new Map<string, WorkItem>();
    for (const item of items)
      if (!firstOfKey.has(item.event.idempotencykey))
        firstOfKey.set(item.event.idempotencykey, item);
    const fresh = await recordInboxEntries(
      manager,
      [...firstOfKey.values()].map((item) => this.inboxEntry(item)),
    );
    const buffer = new InsertBuffer();
    let appended = false;
    const handled: HandledMessage[] = [];
    for (const item of items) {
      const key = item.event.idempotencykey;
      if (firstOfKey.get(key) !== item || !fresh.has(key)) {
        handled.push({ settlement: { kind: 'duplicate', event: item.event } });
        continue;
      }
      const { settlement, seconds } = await this.execute(
        manager,
        item,
        buffer,
        () => (appended = true),
      );
      if (settlement.kind !== 'ack') throw new BatchNeedsIsolation();
      handled.push({ settlement, seconds });
    }
    await buffer.flush(manager);
    return { handled, appended };
  }

  private async runIsolated(
    manager: EntityManager,
    items: readonly WorkItem[],
  ): Promise<BatchResult> {
    let appended = false;
    const handled: HandledMessage[] = [];
    for (const item of items) {
      let seconds: number | undefined;
      let appendedHere = false;
      const settlement = await withSavepoint(manager, 'threadline_message', async () => {
        if (!(await recordInboxEntry(manager, this.inboxEntry(item)))) {
          return { keep: true, value: { kind: 'duplicate', event: item.event } as Settlement };
        }
        const buffer = new InsertBuffer();
        const executed = await this.execute(manager, item, buffer, () => (appendedHere = true));
        seconds = executed.seconds;
        if (executed.settlement.kind === 'ack') await buffer.flush(manager);
        return { keep: executed.settlement.kind === 'ack', value: executed.settlement };
      });
      appended ||= appendedHere && settlement.kind === 'ack';
      if (settlement.kind === 'dead-letter')
        appended ||= await this.reportFailedCommand(manager, item, settlement);
      handled.push({ settlement, seconds });
    }
    return { handled, appended };
  }

  /** Dead-lettered commands are reported as integration.command.failed, in the same transaction. */
  private async reportFailedCommand(
    manager: EntityManager,
    item: WorkItem,
    settlement: Extract<Settlement, { kind: 'dead-letter' }>,
  ): Promise<boolean> {
    const failed = commandFailedEvent(this.options.registry, item.event, {
      error: settlement.error,
      attempts: settlement.attempts,
      queue: item.message.queue,
    });
    if (!failed) return false;
    await this.options.appendToOutbox(manager, failed);
    return true;
  }

  private async execute(
    manager: EntityManager,
    item: WorkItem,
    buffer: InsertBuffer,
    onAppend: () => void,
  ): Promise<HandledMessage> {
    const started = process.hrtime.bigint();
    const result = await this.invoke(manager, item, buffer, onAppend);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { settlement: this.settlementOf(item, result), seconds };
  }

  /** Runs the handler; a throw becomes a value, so only infrastructure errors escape. */
  private async invoke(
    manager: EntityManager,
    item: WorkItem,
    buffer: InsertBuffer,
    onAppend: () => void,
  ): Promise<HandlerResult | { thrown: unknown }> {
    const parentLogger = this.options.logger;
    let logger: Logger | undefined;
    const context: HandlerContext = {
      event: item.event,
      body: item.message.body,
      queue: item.message.queue,
      attempt: attemptsOf(item.message.headers) + 1,
      manager,
      publish: async (event) => {
        await this.options.appendToOutbox(manager, event);
        onAppend();
      },
      bufferInsert: (insert, values) => buffer.add(insert, values),
      // Built on first use: most handlers never log, and a child logger per message is not free.
      get logger() {
        logger ??= parentLogger.child({
          correlationid: item.event.correlationid,
          eventId: item.event.id,
        });
        return logger;
      },
    };
    try {
      return await item.handler(item.event, context);
    } catch (thrown) {
      return { thrown };
    }
  }

  private settlementOf(item: WorkItem, result: HandlerResult | { thrown: unknown }): Settlement {
    if (!result) return { kind: 'ack', event: item.event };
    if ('thrown' in result)
      return this.failure(item, errorMessage(result.thrown), isRetryable(result.thrown));
    return this.failure(item, result.reason, result.outcome === 'retry');
  }

  /** Retry tier while attempts remain, else dead-letter; permanent failures go at once. */
  failure(item: WorkItem, error: string, retryable: boolean): Settlement {
    const attempts = attemptsOf(item.message.headers) + 1;
    if (!retryable)
      return { kind: 'dead-letter', errorKind: 'handler', attempts, error, event: item.event };
    const delayMs = nextRetryDelay(this.options.retryPolicy, attempts);
    if (delayMs === undefined) {
      return { kind: 'dead-letter', errorKind: 'max-attempts', attempts, error, event: item.event };
    }
    return { kind: 'retry', delayMs, attempts, error, event: item.event };
  }

  private inboxEntry(item: WorkItem) {
    return {
      consumer: this.options.queue,
      idempotencyKey: item.event.idempotencykey,
      messageId: item.event.id,
    };
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
