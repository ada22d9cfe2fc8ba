import { connect, type ChannelModel } from 'amqplib';
import { EVENTS_EXCHANGE } from '@threadline/messaging';

const QUEUE = 'bench-plc-telemetry';
const PREFETCH = 500;

export interface TelemetryCount {
  readonly events: number;
  readonly samples: number;
  readonly atMs: number;
}

/**
 * What reached the broker: a quorum queue bound to `equipment.telemetry.sampled` on the events
 * exchange, as a consumer service's would be (so the relay's confirms wait for it as they do in
 * production), drained here and its samples counted. An event the relay sent twice (at least
 * once) would be counted twice; the orchestrator checks the totals against the source.
 */
export class TelemetryCounter {
  events = 0;
  samples = 0;
  /** Age of each event's oldest sample when consumed, in ms, while recording. */
  private ages: number[] | undefined;

  private constructor(private readonly connection: ChannelModel) {}

  static async start(amqpUrl: string): Promise<TelemetryCounter> {
    const connection = await connect(amqpUrl);
    const counter = new TelemetryCounter(connection);
    const channel = await connection.createChannel();
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    await channel.assertQueue(QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(QUEUE, EVENTS_EXCHANGE, 'equipment.telemetry.sampled');
    await channel.prefetch(PREFETCH);
    await channel.consume(QUEUE, (message) => {
      if (!message) return;
      const event = JSON.parse(message.content.toString('utf8')) as {
        data: { samples: { sourceTime: string }[] };
      };
      counter.events++;
      counter.samples += event.data.samples.length;
      counter.ages?.push(Date.now() - Date.parse(event.data.samples[0].sourceTime));
      channel.ack(message);
    });
    return counter;
  }

  now(): TelemetryCount {
    return { events: this.events, samples: this.samples, atMs: performance.now() };
  }

  /** Starts keeping the age of each event's oldest sample; `stopRecording` returns them. */
  startRecording(): void {
    this.ages = [];
  }

  stopRecording(): number[] {
    const ages = this.ages ?? [];
    this.ages = undefined;
    return ages;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
