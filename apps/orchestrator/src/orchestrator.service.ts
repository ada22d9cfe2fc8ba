import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { MessagingRuntime, type ServiceDefinition } from '@threadline/messaging';
import { loadOrchestratorConfig, type OrchestratorConfig } from './config/orchestrator-config';
import { FlowEngine, type FlowObserver } from './engine/flow-engine';
import { TimerPoller } from './engine/timer-poller';
import { FLOWS } from './flows';
import { OrchestratorEventsController } from './orchestrator-events.controller';

export const ORCHESTRATOR_CONFIG = Symbol('ORCHESTRATOR_CONFIG');

/** Starts the durable timer poller with the service and stops it before. */
@Injectable()
export class OrchestratorLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private poller: TimerPoller | undefined;

  constructor(
    @Inject(MessagingRuntime) private readonly runtime: MessagingRuntime,
    @Inject(FlowEngine) private readonly engine: FlowEngine,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.poller = new TimerPoller(this.runtime, this.engine, this.config.timerPollSeconds * 1000);
    this.poller.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.poller?.stop();
  }

  get timers(): TimerPoller {
    if (!this.poller) throw new Error('the orchestrator is not started');
    return this.poller;
  }
}

/** Flow metrics and one log line per flow event worth a human's attention. */
function observer(runtime: MessagingRuntime): FlowObserver {
  const { metrics, logger } = runtime;
  return {
    started: (flow) => {
      metrics?.flowsStarted.inc({ type: flow.type });
      logger.info(
        {
          flowId: flow.id,
          type: flow.type,
          subject: flow.subject,
          correlationid: flow.correlationId,
        },
        'flow started',
      );
    },
    duplicate: (type, subject) =>
      logger.info({ type, subject }, 'flow already exists for this subject; not started again'),
    escalated: (flow, step, reason) => {
      metrics?.flowEscalations.inc({ type: flow.type, step });
      logger.warn(
        { flowId: flow.id, type: flow.type, step, reason, correlationid: flow.correlationId },
        'flow escalated',
      );
    },
    ended: (flow, now) => {
      metrics?.flowsEnded.inc({ type: flow.type, state: flow.state });
      metrics?.flowDuration.observe(
        { type: flow.type },
        (now.getTime() - flow.startedAt.getTime()) / 1000,
      );
      logger.info(
        { flowId: flow.id, type: flow.type, state: flow.state, correlationid: flow.correlationId },
        'flow ended',
      );
    },
  };
}

@Module({
  controllers: [OrchestratorEventsController],
  providers: [
    { provide: ORCHESTRATOR_CONFIG, useFactory: () => loadOrchestratorConfig(process.env) },
    {
      provide: FlowEngine,
      inject: [ORCHESTRATOR_CONFIG, MessagingRuntime],
      useFactory: (config: OrchestratorConfig, runtime: MessagingRuntime) =>
        new FlowEngine(FLOWS, (_, plant) => config.plant(plant), observer(runtime)),
    },
    OrchestratorLifecycle,
  ],
})
class OrchestratorModule {}

export const ORCHESTRATOR_SERVICE: ServiceDefinition = {
  name: 'orchestrator',
  module: OrchestratorModule,
  description:
    'durable flows: NC containment, incoming inspection, downtime to maintenance, in-process failure',
  // One batch at a time: the flows an event moves are loaded and written back with a version
  // check, and a single consumer keeps those checks from colliding between batches.
  consumer: { prefetch: 200, batchSize: 50, concurrency: 1 },
};
