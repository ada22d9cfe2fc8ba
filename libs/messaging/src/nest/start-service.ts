import type { INestApplicationContext, INestMicroservice, Type } from '@nestjs/common';
import type { ComponentHealth } from '@threadline/observability';
import { NestFactory } from '@nestjs/core';
import type { MessagingRuntime } from '../messaging.runtime';
import { ThreadlineServer, type ThreadlineServerOptions } from './threadline.server';
import { ThreadlineMessagingModule } from './threadline-messaging.module';

export interface ServiceDefinition {
  /** Names the service's queues and metrics. */
  readonly name: string;
  readonly module: Type<unknown>;
  readonly description: string;
  readonly consumer?: Pick<ThreadlineServerOptions, 'prefetch' | 'batchSize' | 'concurrency'>;
  /** The service's own parts for the readiness endpoint (a connector's target). */
  readonly health?: (app: INestApplicationContext) => ComponentHealth[];
}

/**
 * Starts one service as a Nest microservice on the shared runtime. Several services can run in
 * one process (the all-in-one), each with its own queues and handlers.
 */
export async function startService(
  definition: ServiceDefinition,
  runtime: MessagingRuntime,
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(
    {
      module: class ThreadlineServiceRoot {},
      imports: [ThreadlineMessagingModule.forRuntime(runtime), definition.module],
    },
    {
      strategy: new ThreadlineServer({ service: definition.name, runtime, ...definition.consumer }),
      logger: false,
      // A provider that fails at start (an invalid connector file) must reach the caller with
      // its message, not end the process silently.
      abortOnError: false,
    },
  );
  await app.listen();
  return app;
}
