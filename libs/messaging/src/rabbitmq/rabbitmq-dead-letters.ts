import type { Channel, ConfirmChannel, GetMessage } from 'amqplib';
import type { DeadLetter } from '../broker-driver';
import { redriveHeaders } from '../pipeline/message-headers';
import { sourceQueueOf } from '../topology';
import { confirmedPublish, propertiesOf } from './confirmed-publish';

/** Up to `limit` dead letters, left in place: unacked gets return them, in order, on close. */
export async function peekDeadLetters(
  reader: Channel,
  deadLetterQueue: string,
  limit: number,
): Promise<DeadLetter[]> {
  const taken: GetMessage[] = [];
  try {
    while (taken.length < limit) {
      const message = await reader.get(deadLetterQueue, { noAck: false });
      if (!message) break;
      taken.push(message);
    }
    return taken.map(toDeadLetter);
  } finally {
    await reader.close().catch(() => undefined);
  }
}

/**
 * Moves the selected dead letters back to their original queue with a fresh attempt count; each
 * leaves the DLQ only after the broker confirmed its copy. The others return, unchanged, when the
 * reader channel closes.
 */
export async function redriveDeadLetters(
  reader: Channel,
  publisher: ConfirmChannel,
  deadLetterQueue: string,
  select: (letter: DeadLetter) => boolean,
  onProgress?: (moved: number) => void,
): Promise<number> {
  let moved = 0;
  for (;;) {
    const message = await reader.get(deadLetterQueue, { noAck: false });
    if (!message) break;
    const letter = toDeadLetter(message);
    if (!select(letter)) continue;
    const original = letter.headers['x-original-queue'];
    const target = typeof original === 'string' ? original : sourceQueueOf(deadLetterQueue);
    await confirmedPublish(publisher, {
      exchange: '',
      routingKey: target,
      body: message.content,
      properties: { ...propertiesOf(message), headers: redriveHeaders(letter.headers) },
    });
    reader.ack(message);
    moved++;
    onProgress?.(moved);
  }
  return moved;
}

export function toDeadLetter(message: GetMessage): DeadLetter {
  return {
    messageId: String(message.properties.messageId ?? ''),
    routingKey: message.fields.routingKey,
    headers: message.properties.headers ?? {},
    body: message.content,
  };
}
