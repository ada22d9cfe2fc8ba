import type { MessageHeaders } from './message-headers';

/** A delivery as the pipeline sees it, whichever broker it came from. */
export interface InboundMessage {
  readonly queue: string;
  readonly routingKey: string;
  readonly body: Buffer;
  readonly headers: MessageHeaders;
}
