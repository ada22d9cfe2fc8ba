import { BaseRpcContext } from '@nestjs/microservices';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { EntityManager } from 'typeorm';
import type { HandlerContext } from '../pipeline/handler';

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

  get attempt(): number {
    return this.args[0].attempt;
  }

  /** The transaction the inbox row commits in: write the handler's effects through it. */
  get manager(): EntityManager {
    return this.args[0].manager;
  }

  /** Publishes through the outbox within this message's transaction. */
  publish(event: CloudEventEnvelope): Promise<void> {
    return this.args[0].publish(event);
  }
}
