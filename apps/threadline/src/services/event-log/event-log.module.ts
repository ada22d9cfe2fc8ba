import { Module } from '@nestjs/common';
import type { ServiceDefinition } from '@threadline/messaging';
import { EventLogController } from './event-log.controller';

@Module({ controllers: [EventLogController] })
export class EventLogModule {}

export const EVENT_LOG_SERVICE: ServiceDefinition = {
  name: 'event-log',
  module: EventLogModule,
  description: 'records every event on threadline.events into event_log',
  // Pure database work: large batches, two transactions in flight, and a prefetch window wide
  // enough that range acks (sent when a contiguous run is settled) never starve the consumer.
  consumer: { prefetch: 1000, batchSize: 250, concurrency: 2 },
};
