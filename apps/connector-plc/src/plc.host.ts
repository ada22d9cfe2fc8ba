import type { ConnectorConfig } from '@threadline/connector-sdk/config';
import type { ConnectorRuntime } from '@threadline/connector-sdk';
import type { CloudEvent } from '@threadline/contracts';
import type { ComponentHealth, Logger } from '@threadline/observability';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { EdgeBufferJanitor } from './edge-buffer.bound';
import type { PlcSettings, SignalSource } from './plc-config.types';
import { PlcPipeline } from './plc.pipeline';

/** Builds the OPC UA and Modbus sources of a configuration. */
export type SourceFactory = (
  settings: PlcSettings,
  context: { connector: string; logger: Logger; runtime: ConnectorRuntime },
) => Promise<SignalSource[]>;

export interface PlcHostOptions {
  config: ConnectorConfig;
  runtime: ConnectorRuntime;
  sources: SourceFactory;
}

/**
 * One PLC connector at work: its sources feed the signal pipeline, which writes canonical events
 * to the outbox; the janitor keeps the unsent backlog within the configured bound.
 */
export class PlcHost {
  readonly settings: PlcSettings;
  /** Built on start (the protocol libraries load only then). */
  sources: SignalSource[] = [];
  readonly pipeline: PlcPipeline;
  private readonly janitor: EdgeBufferJanitor;
  private readonly logger: Logger;

  constructor(private readonly options: PlcHostOptions) {
    const { config, runtime } = options;
    const connector = config.metadata.name;
    this.settings = config.spec.plc as unknown as PlcSettings;
    this.logger = runtime.logger.child({ connector });
    this.pipeline = new PlcPipeline(
      { plant: config.metadata.plant, connector },
      this.settings,
      {
        publish: (...events: CloudEvent[]) =>
          runtime.publisher.publish(...(events as unknown as CloudEventEnvelope[])),
      },
      this.logger,
    );
    const buffer = (config.spec.plc as { buffer?: { maxBytes: number; maxAgeHours: number } })
      .buffer ?? { maxBytes: 1 << 30, maxAgeHours: 168 };
    this.janitor = new EdgeBufferJanitor({
      connector,
      bound: buffer,
      dataSource: runtime.dataSource,
      logger: this.logger,
      metrics: runtime.metrics,
    });
  }

  /** Sources connect in the background and keep reconnecting; start never waits on a PLC. */
  async start(): Promise<void> {
    const { config, runtime } = this.options;
    this.sources = await this.options.sources(this.settings, {
      connector: config.metadata.name,
      logger: this.logger,
      runtime,
    });
    this.pipeline.start();
    this.janitor.start();
    for (const source of this.sources) {
      // A PLC that is off must not hold the service back: the source keeps trying on its own.
      source.start(this.pipeline.sink).catch((error: unknown) => {
        this.logger.error({ source: source.name, err: error }, 'PLC source failed to start');
      });
    }
    this.logger.info(
      { sources: this.sources.map((source) => source.name) },
      'PLC connector started',
    );
  }

  /** Sources stop, open telemetry batches are written, then the janitor stops. */
  async stop(): Promise<void> {
    await Promise.all(this.sources.map((source) => source.stop()));
    await this.pipeline.stop();
    this.janitor.stop();
  }

  health(): ComponentHealth[] {
    return this.sources.map((source) => ({ name: `plc ${source.name}`, state: source.state() }));
  }
}
