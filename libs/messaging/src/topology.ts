/**
 * Names and routing rules of the broker topology (EVENT-CATALOG §2). Both drivers use these, so
 * the in-memory broker routes exactly like RabbitMQ does.
 */
export const EVENTS_EXCHANGE = 'threadline.events';
export const COMMANDS_EXCHANGE = 'threadline.commands';
export const RETRY_EXCHANGE = 'threadline.retry';
export const DEAD_LETTER_EXCHANGE = 'threadline.dlx';
/** Commands that no queue is bound for land here instead of vanishing. */
export const UNROUTABLE_EXCHANGE = 'threadline.unroutable';
export const UNROUTABLE_QUEUE = 'threadline.unroutable';

/**
 * `ingress` holds only a dead-letter queue: vendor payloads a connector could not map (with the
 * mapping's errors), which never reached the bus.
 */
export type QueuePurpose = 'events' | 'commands' | 'ingress';
export const QUEUE_PURPOSES: readonly QueuePurpose[] = ['events', 'commands', 'ingress'];

export interface ConsumerQueueNames {
  queue: string;
  deadLetterQueue: string;
  /** One delay queue per retry tier, in tier order. */
  retryQueues: { delayMs: number; queue: string }[];
}

export function consumerQueueNames(
  service: string,
  purpose: QueuePurpose,
  retryDelaysMs: readonly number[],
): ConsumerQueueNames {
  const queue = `threadline.${service}.${purpose}`;
  return {
    queue,
    deadLetterQueue: `${queue}.dlq`,
    retryQueues: retryDelaysMs.map((delayMs) => ({
      delayMs,
      queue: retryQueueName(queue, delayMs),
    })),
  };
}

export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}ms`;
}

/** The original queue a dead-letter queue belongs to (`q.dlq` -> `q`). */
export function sourceQueueOf(deadLetterQueue: string): string {
  return deadLetterQueue.endsWith('.dlq')
    ? deadLetterQueue.slice(0, -'.dlq'.length)
    : deadLetterQueue;
}

/**
 * AMQP topic matching: words separated by '.', '*' matches exactly one word, '#' zero or more.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), 0, routingKey.split('.'), 0);
}

function matchWords(pattern: string[], p: number, words: string[], w: number): boolean {
  if (p === pattern.length) return w === words.length;
  const word = pattern[p];
  if (word === '#') {
    // '#' absorbs zero or more words: try every split point.
    for (let rest = w; rest <= words.length; rest++) {
      if (matchWords(pattern, p + 1, words, rest)) return true;
    }
    return false;
  }
  if (w === words.length) return false;
  return (word === '*' || word === words[w]) && matchWords(pattern, p + 1, words, w + 1);
}
