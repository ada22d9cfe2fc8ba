import type { Logger } from 'pino';
import type { BrokerDriver, DriverDelivery } from './broker-driver';
import type { MessagePipeline } from './pipeline/message-pipeline';

export interface QueueConsumerOptions {
  readonly queue: string;
  readonly driver: BrokerDriver;
  readonly pipeline: MessagePipeline;
  readonly logger: Logger;
  /** Unacknowledged messages the broker may hand us at once (default 100). */
  readonly prefetch?: number;
  /** Messages per database transaction (default 50). Use 1 for handlers that call slow systems. */
  readonly batchSize?: number;
  /** Batches processed at once (default 2). */
  readonly concurrency?: number;
}

/**
 * Feeds deliveries to the pipeline in small batches and settles each one. Deliveries that arrive
 * together are processed together (one transaction per batch); nothing waits on a timer. Never
 * more than `prefetch` messages in memory, because the broker sends no more than that unacked.
 */
export class QueueConsumer {
  private readonly waiting: DriverDelivery[] = [];
  private readonly batchSize: number;
  private readonly concurrency: number;
  private running = 0;
  private scheduled = false;
  private idle?: () => void;

  constructor(private readonly options: QueueConsumerOptions) {
    this.batchSize = options.batchSize ?? 50;
    this.concurrency = options.concurrency ?? 2;
  }

  async start(): Promise<void> {
    await this.options.driver.consume(
      this.options.queue,
      this.options.prefetch ?? 100,
      (delivery) => this.accept(delivery),
    );
  }

  /** Graceful stop: no new deliveries, then every delivery already received is settled. */
  async stop(): Promise<void> {
    await this.options.driver.cancelConsumer(this.options.queue);
    await this.drain();
  }

  /** Resolves when every delivery received so far has been settled. */
  async drain(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return;
    await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private accept(delivery: DriverDelivery): void {
    this.waiting.push(delivery);
    if (!this.scheduled) {
      this.scheduled = true;
      // Let the rest of this socket read arrive, so a burst becomes one batch.
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    }
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.batchSize);
      this.running++;
      void this.process(batch).finally(() => {
        this.running--;
        if (this.waiting.length > 0) this.pump();
        else if (this.running === 0) this.idle?.();
      });
    }
  }

  private async process(batch: DriverDelivery[]): Promise<void> {
    try {
      const settlements = await this.options.pipeline.processBatch(batch);
      await Promise.all(
        batch.map((delivery, i) =>
          this.options.driver.settle(delivery, settlements[i]).catch((error: Error) =>
            // Unsettled: the broker redelivers it after the channel closes; never lost.
            this.options.logger.warn(
              { err: error.message, queue: delivery.queue },
              'settle failed',
            ),
          ),
        ),
      );
    } catch (error) {
      // The pipeline turns handler and database failures into settlements; reaching here is a
      // bug. Park the batch in the DLQ (re-drivable) rather than leave it unacked or loop on it.
      const message = `pipeline failed: ${(error as Error).message}`;
      this.options.logger.error(
        { err: message, batch: batch.length },
        'pipeline failed; batch dead-lettered',
      );
      await Promise.all(
        batch.map((delivery) =>
          this.options.driver
            .settle(delivery, {
              kind: 'dead-letter',
              errorKind: 'handler',
              attempts: 1,
              error: message,
            })
            .catch(() => undefined),
        ),
      );
    }
  }
}
