import { BaseRpcContext } from '@nestjs/microservices';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { EntityManager } from 'typeorm';
import type { HandlerContext } from '../pipeline/handler';
import type { BufferedInsert } from '../pipeline/insert-buffer';

/** What `@Ctx()` gives a Threadline handler: the event's transaction and an outbox publisher. */
export class ThreadlineContext extends BaseRpcContext<[HandlerContext]> {
  constructor(context: HandlerContext) {
    super([context]);
  }

  get handlerContext(): HandlerContext {
    return this.args[0];
  }

  get event(): CloudEventEnvelope {
    return this.args[0].event;
  }

  /** The message exactly as received (the validated CloudEvent JSON). */
  get body(): Buffer {
    return this.args[0].body;
  }

  get attempt(): number {
    return this.args[0].attempt;
  }

  /** The transaction the inbox row commits in: write the handler's effects through it. */
  get manager(): EntityManager {
    return this.args[0].manager;
  }

  /** Appends a row written with the batch's other rows before the transaction commits. */
  bufferInsert(insert: BufferedInsert, values: readonly unknown[]): void {
    this.args[0].bufferInsert(insert, values);
  }

  /** Publishes through the outbox within this message's transaction. */
  publish(event: CloudEventEnvelope): Promise<void> {
    return this.args[0].publish(event);
  }
}
