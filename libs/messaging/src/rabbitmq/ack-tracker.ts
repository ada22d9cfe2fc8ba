import type { Channel, ConsumeMessage } from 'amqplib';

/**
 * Acknowledges a consumer channel's deliveries in contiguous ranges: one `basic.ack` with
 * `multiple` for every run of settled deliveries, sent only once every earlier delivery on the
 * channel is settled too, so no unsettled message is ever acknowledged. On a quorum queue each
 * ack is a Raft command; a batch of 250 then costs one instead of 250.
 */
export class AckTracker {
  /** Delivery tags in arrival order (ascending), with whether each is settled. */
  private readonly outstanding: { tag: number; settled: boolean }[] = [];
  private head = 0;
  private readonly byTag = new Map<number, { tag: number; settled: boolean }>();

  constructor(private readonly channel: Channel) {}

  delivered(message: ConsumeMessage): void {
    const entry = { tag: message.fields.deliveryTag, settled: false };
    this.outstanding.push(entry);
    this.byTag.set(entry.tag, entry);
  }

  /** Marks the delivery settled and acknowledges every settled delivery at the front. */
  settled(message: ConsumeMessage): void {
    const entry = this.byTag.get(message.fields.deliveryTag);
    if (!entry) return;
    entry.settled = true;
    let last: { tag: number } | undefined;
    while (this.head < this.outstanding.length && this.outstanding[this.head].settled) {
      last = this.outstanding[this.head];
      this.byTag.delete(last.tag);
      this.head++;
    }
    if (this.head > 1_024 && this.head * 2 > this.outstanding.length) {
      this.outstanding.splice(0, this.head);
      this.head = 0;
    }
    if (last) this.channel.ack({ fields: { deliveryTag: last.tag } } as ConsumeMessage, true);
  }
}
