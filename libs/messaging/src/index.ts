export * from './broker-driver';
export * from './topology';
export * from './pipeline/handler';
export * from './pipeline/message-headers';
export * from './pipeline/retry-policy';
export * from './pipeline/settlement';
export * from './pipeline/inbound-message';
export {
  MessagePipeline,
  describeIssues,
  type PipelineObserver,
} from './pipeline/message-pipeline';
export { withTransaction } from './pipeline/transaction';
export { dialectOf, param, timestampValue, type Dialect } from './pipeline/sql-dialect';
export { InsertBuffer, type BufferedInsert } from './pipeline/insert-buffer';
export { QueueConsumer } from './queue-consumer';
export { EventPublisher } from './outbox/event-publisher';
export { OutboxRelay } from './outbox/outbox.relay';
export { RabbitMqDriver } from './rabbitmq/rabbitmq.driver';
export { redactAmqpUrl } from './rabbitmq/amqp-connection';
export {
  AMQP_TLS_ENV,
  AmqpTlsConfigError,
  amqpTlsOptionsFromEnv,
  describeAmqpTls,
  type AmqpTlsSocketOptions,
} from './rabbitmq/amqp-tls';
export { InMemoryDriver } from './in-memory/in-memory.driver';
export { MessagingRuntime, type MessagingRuntimeOptions } from './messaging.runtime';
export { messagingObserver } from './messaging.metrics';
export { ThreadlineServer, groupPatternsByPurpose } from './nest/threadline.server';
export { ThreadlineContext } from './nest/threadline.context';
export { PassThroughExceptionFilter } from './nest/pass-through-exception.filter';
export { ThreadlineMessagingModule } from './nest/threadline-messaging.module';
export { startService, type ServiceDefinition } from './nest/start-service';
export {
  DeadLetterQueueError,
  assertDeadLetterQueue,
  deadLetterBodyText,
  deadLetterDepths,
  deadLetterQueuesOf,
  redriveDeadLetters,
  type DeadLetterQueueDepth,
  type RedriveOutcome,
  type RedriveRequest,
} from './admin/dead-letter-admin';
export { runtimeReadiness } from './admin/runtime-readiness';
export {
  REPLAY_LIMIT,
  replayEvents,
  type ReplayOutcome,
  type ReplayRequest,
} from './admin/event-replay';
