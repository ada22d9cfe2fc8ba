import { Module } from '@nestjs/common';
import type { ServiceDefinition } from '@threadline/messaging';
import { EventLogController } from './event-log.controller';

@Module({ controllers: [EventLogController] })
export class EventLogModule {}

export const EVENT_LOG_SERVICE: ServiceDefinition = {
  name: 'event-log',
  module: EventLogModule,
  description: 'records every event on threadline.events into event_log',
  consumer: { prefetch: 200, batchSize: 100, concurrency: 2 },
};
