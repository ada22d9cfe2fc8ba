import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type INestApplication,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagingRuntime, type ServiceDefinition } from '@threadline/messaging';
import { readPackageVersion } from '@threadline/core';
import {
  ApiErrorFilter,
  OPENAPI_JSON_PATH,
  OPENAPI_PATH,
  TraceabilityApiModule,
  traceabilityOpenApi,
} from '@threadline/traceability';
import { SwaggerModule } from '@nestjs/swagger';
import { loadTraceabilityConfig, type TraceabilityConfig } from './config/traceability-config';
import { HoldPropagation } from './containment/hold-propagation';
import { GapDetector } from './gaps/gap-detector';
import { GapSweeper } from './gaps/gap-sweeper';
import { GenealogyRecorder } from './genealogy/genealogy.recorder';
import { TraceabilityEventsController } from './traceability-events.controller';

export const TRACEABILITY_CONFIG = Symbol('TRACEABILITY_CONFIG');

/** The query API's port: TRACEABILITY_PORT, default 3100 (0: any free port). */
export function traceabilityPort(env: NodeJS.ProcessEnv): number {
  const port = Number(env.TRACEABILITY_PORT ?? 3100);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(
      `TRACEABILITY_PORT must be a port number 0-65535, got '${env.TRACEABILITY_PORT}'`,
    );
  }
  return port;
}

/** Starts the gap sweeper and the query API with the service; stops both before it. */
@Injectable()
export class TraceabilityLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private api: INestApplication | undefined;
  private sweeper: GapSweeper | undefined;

  constructor(
    @Inject(MessagingRuntime) private readonly runtime: MessagingRuntime,
    @Inject(GapDetector) private readonly detector: GapDetector,
    @Inject(TRACEABILITY_CONFIG) private readonly config: TraceabilityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.sweeper = new GapSweeper(this.runtime, this.detector, this.config.gapSweepSeconds * 1000);
    this.sweeper.start();
    this.api = await NestFactory.create(
      TraceabilityApiModule.forDataSource(this.runtime.dataSource, this.runtime.metrics),
      {
        logger: false,
        abortOnError: false,
      },
    );
    const api = this.api;
    // The Swagger UI at /docs (assets from swagger-ui-dist, no CDN) and the document at
    // /docs/openapi.json, generated from the routes like docs/openapi.json.
    SwaggerModule.setup(OPENAPI_PATH, api, () => traceabilityOpenApi(api, readPackageVersion()), {
      jsonDocumentUrl: OPENAPI_JSON_PATH,
      raw: ['json'],
      customSiteTitle: 'Threadline traceability API',
    });
    this.api.useGlobalFilters(
      new ApiErrorFilter((error) =>
        this.runtime.logger.error({ err: error }, 'traceability API error'),
      ),
    );
    await this.api.listen(
      traceabilityPort(process.env),
      process.env.TRACEABILITY_HOST ?? '0.0.0.0',
    );
    this.runtime.logger.info({ url: await this.api.getUrl() }, 'traceability API listening');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.api?.close();
    await this.sweeper?.stop();
  }

  /** Where the query API listens (after bootstrap). */
  url(): Promise<string> {
    if (!this.api) throw new Error('the traceability API is not started');
    return this.api.getUrl();
  }

  get gapSweeper(): GapSweeper {
    if (!this.sweeper) throw new Error('the traceability service is not started');
    return this.sweeper;
  }
}

@Module({
  controllers: [TraceabilityEventsController],
  providers: [
    { provide: TRACEABILITY_CONFIG, useFactory: () => loadTraceabilityConfig(process.env) },
    GenealogyRecorder,
    {
      provide: GapDetector,
      inject: [TRACEABILITY_CONFIG],
      useFactory: (config: TraceabilityConfig) => new GapDetector(config),
    },
    {
      provide: HoldPropagation,
      inject: [TRACEABILITY_CONFIG, MessagingRuntime],
      useFactory: (config: TraceabilityConfig, runtime: MessagingRuntime) =>
        new HoldPropagation(config, runtime.dataSource),
    },
    TraceabilityLifecycle,
  ],
})
class TraceabilityModule {}

export const TRACEABILITY_SERVICE: ServiceDefinition = {
  name: 'traceability',
  module: TraceabilityModule,
  description:
    'lot genealogy: trace, recall scope, gaps, hold propagation; query API on TRACEABILITY_PORT',
  // One batch at a time: consumption and output of an order lock its row anyway, and a single
  // writer keeps the genealogy's upserts free of deadlocks between batches.
  consumer: { prefetch: 400, batchSize: 100, concurrency: 1 },
};
