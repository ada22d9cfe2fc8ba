import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MessagingRuntime } from '../messaging.runtime';
import { EventPublisher } from '../outbox/event-publisher';
import { PassThroughExceptionFilter } from './pass-through-exception.filter';

/** Makes the process's shared MessagingRuntime and EventPublisher injectable in a service. */
@Module({})
export class ThreadlineMessagingModule {
  static forRuntime(runtime: MessagingRuntime): DynamicModule {
    return {
      module: ThreadlineMessagingModule,
      global: true,
      providers: [
        { provide: MessagingRuntime, useValue: runtime },
        { provide: EventPublisher, useValue: runtime.publisher },
        { provide: APP_FILTER, useClass: PassThroughExceptionFilter },
      ],
      exports: [MessagingRuntime, EventPublisher],
    };
  }
}
