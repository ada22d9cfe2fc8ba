import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { SchemaRegistry } from '@threadline/schema-registry';
import { lastValueFrom } from 'rxjs';
import type { QueueBinding } from '../broker-driver';
import { HandlerTable, type HandlerResult, type MessageHandler } from '../pipeline/handler';
import { MessagePipeline } from '../pipeline/message-pipeline';
import { QueueConsumer } from '../queue-consumer';
import type { MessagingRuntime } from '../messaging.runtime';
import {
  COMMANDS_EXCHANGE,
  EVENTS_EXCHANGE,
  consumerQueueNames,
  topicMatches,
  type QueuePurpose,
} from '../topology';
import { ThreadlineContext } from './threadline.context';

export interface ThreadlineServerOptions {
  /** Names the service's queues: `threadline.<service>.events|commands`. */
  readonly service: string;
  readonly runtime: MessagingRuntime;
  readonly prefetch?: number;
  readonly batchSize?: number;
  readonly concurrency?: number;
}

/**
 * The Nest transport strategy: handlers are plain `@EventPattern('<type or topic pattern>')`
 * methods. Patterns that match only command types are bound to the commands exchange on the
 * service's commands queue; all others to the events exchange on its events queue.
 */
export class ThreadlineServer extends Server implements CustomTransportStrategy {
  private readonly consumers: QueueConsumer[] = [];

  constructor(private readonly options: ThreadlineServerOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.startConsumers().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops consuming, then waits for in-flight handlers; the runtime closes the rest. */
  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }

  on(): never {
    throw new Error('ThreadlineServer has no events to subscribe to; use runtime.driver.state$');
  }

  unwrap<T>(): T {
    return this.options.runtime.driver as T;
  }

  private async startConsumers(): Promise<void> {
    const { runtime, service } = this.options;
    const byPurpose = groupPatternsByPurpose([...this.messageHandlers.keys()], runtime.registry);
    for (const [purpose, patterns] of byPurpose) {
      const names = consumerQueueNames(service, purpose, runtime.retryPolicy.delaysMs);
      const exchange = purpose === 'commands' ? COMMANDS_EXCHANGE : EVENTS_EXCHANGE;
      const bindings: QueueBinding[] = patterns.map((pattern) => ({ exchange, pattern }));
      await runtime.driver.declareConsumerQueue({ names, bindings });
      const pipeline = new MessagePipeline({
        queue: names.queue,
        registry: runtime.registry,
        handlers: new HandlerTable(patterns.map((p) => [p, this.nestHandler(p)] as const)),
        dataSource: runtime.dataSource,
        retryPolicy: runtime.retryPolicy,
        appendToOutbox: (manager, event) => runtime.publisher.publishIn(manager, event),
        logger: runtime.logger.child({ service, queue: names.queue }),
        observer: runtime.pipelineObserver(service),
      });
      const consumer = new QueueConsumer({
        queue: names.queue,
        driver: runtime.driver,
        pipeline,
        logger: runtime.logger,
        prefetch: this.options.prefetch,
        batchSize: this.options.batchSize,
        concurrency: this.options.concurrency,
      });
      await consumer.start();
      this.consumers.push(consumer);
    }
  }

  private nestHandler(pattern: string): MessageHandler {
    const handler = this.messageHandlers.get(pattern);
    if (!handler) throw new Error(`no Nest handler registered for '${pattern}'`);
    return async (event, context) => {
      const result: unknown = await handler(event, new ThreadlineContext(context));
      return (await lastValueFrom(this.transformToObservable(result), {
        defaultValue: undefined,
      })) as HandlerResult;
    };
  }
}

/** Which queue a handler pattern belongs on: commands only when it matches commands only. */
export function groupPatternsByPurpose(
  patterns: readonly string[],
  registry: SchemaRegistry,
): Map<QueuePurpose, string[]> {
  const entries = registry.list();
  const groups = new Map<QueuePurpose, string[]>();
  for (const pattern of patterns) {
    const matched = entries.filter((entry) => topicMatches(pattern, entry.type));
    const purpose: QueuePurpose =
      matched.length > 0 && matched.every((entry) => entry.kind === 'command')
        ? 'commands'
        : 'events';
    groups.set(purpose, [...(groups.get(purpose) ?? []), pattern]);
  }
  return groups;
}
