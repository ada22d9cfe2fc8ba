import type { ConfirmChannel, ConsumeMessage, GetMessage } from 'amqplib';
import type { OutboundMessage } from '../broker-driver';

/** Publishing with broker confirms, and the properties a republished message keeps. */
export type PublishProperties = Omit<OutboundMessage['properties'], 'persistent'> & {
  persistent?: boolean;
};

export function confirmedPublish(
  channel: ConfirmChannel,
  message: Omit<OutboundMessage, 'properties'> & { properties: PublishProperties },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    try {
      channel.publish(
        message.exchange,
        message.routingKey,
        message.body,
        { ...message.properties, persistent: true },
        (error) => (error ? reject(error as Error) : resolve()),
      );
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

export function channelHasRoom(channel: ConfirmChannel): boolean {
  // amqplib keeps publishing into its buffer; 'drain' tells when it has room again.
  const stream = (
    channel as unknown as { connection?: { stream?: { writableNeedDrain?: boolean } } }
  ).connection?.stream;
  return !stream?.writableNeedDrain;
}

export function waitForDrain(channel: ConfirmChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      channel.off('drain', done);
      channel.off('close', done);
      resolve();
    };
    channel.once('drain', done);
    channel.once('close', done);
  });
}

export function propertiesOf(message: GetMessage | ConsumeMessage): PublishProperties {
  const p = message.properties;
  return {
    contentType: p.contentType as string,
    messageId: p.messageId as string,
    correlationId: p.correlationId as string,
    type: p.type as string,
    timestamp: p.timestamp as number,
    headers: p.headers ?? {},
  };
}
