import { ThreadlineError } from '@threadline/core';
import {
  parseDataschema,
  type CloudEventEnvelope,
  type SchemaRegistry,
} from '@threadline/schema-registry';
import type { DataSource, EntityManager } from 'typeorm';
import { describeIssues } from '../pipeline/message-pipeline';
import { withTransaction } from '../pipeline/transaction';
import { COMMANDS_EXCHANGE, EVENTS_EXCHANGE } from '../topology';
import { insertOutboxRecords, outboxRecordFor, type OutboxRecord } from './outbox.writer';

export interface EventPublisherOptions {
  readonly registry: SchemaRegistry;
  readonly dataSource: DataSource;
  /** Called after a commit that added rows, so the relay publishes them at once. */
  readonly onAppended?: () => void;
}

/**
 * Publishes events and commands the reliable way: validated against the contract, then written
 * to the outbox in the caller's transaction (or a transaction of its own). Nothing invalid ever
 * reaches the bus, and nothing is sent for work that rolled back.
 */
export class EventPublisher {
  constructor(private readonly options: EventPublisherOptions) {}

  /** Publishes in a transaction of its own; resolves once the rows are committed. */
  async publish(...events: CloudEventEnvelope[]): Promise<void> {
    const records = events.map((event) => this.recordFor(event));
    await withTransaction(this.options.dataSource, (runner) =>
      insertOutboxRecords(runner.manager, records),
    );
    this.options.onAppended?.();
  }

  /** Publishes inside the caller's transaction: the event leaves only if that commits. */
  async publishIn(manager: EntityManager, ...events: CloudEventEnvelope[]): Promise<void> {
    await insertOutboxRecords(
      manager,
      events.map((event) => this.recordFor(event)),
    );
  }

  /** For callers that notify after their own commit (the pipeline does). */
  afterCommit(): void {
    this.options.onAppended?.();
  }

  private recordFor(event: CloudEventEnvelope): OutboxRecord {
    const result = this.options.registry.validate(event);
    if (!result.valid) {
      throw new ThreadlineError(
        'VALIDATION_FAILED',
        `refusing to publish invalid ${event.type}: ${describeIssues(result.errors)}`,
      );
    }
    const schema = parseDataschema(event.dataschema);
    const kind = schema && this.options.registry.get(schema.type, schema.major)?.kind;
    return outboxRecordFor(event, kind === 'command' ? COMMANDS_EXCHANGE : EVENTS_EXCHANGE);
  }
}
