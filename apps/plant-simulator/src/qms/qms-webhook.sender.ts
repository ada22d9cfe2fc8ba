import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebhookDelivery } from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';

export interface WebhookSenderOptions {
  secret: string;
  /** Attempts per delivery, first one included. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles after each failure. */
  retryDelayMs: number;
  timeoutMs: number;
}

/** `sha256=<hex HMAC-SHA256 of "${timestamp}.${rawBody}">`, the value of X-Threadline-Signature. */
export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * Sends QMS webhooks to every registered URL. Each delivery has one id and one body for its whole
 * life: retries (after a non-2xx or a network error) and manual redeliveries reuse both, so the
 * receiver can de-duplicate on X-Webhook-Id. Only the timestamp and signature are fresh per try.
 */
export class QmsWebhookSender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly store: SimulatorStore,
    private readonly options: WebhookSenderOptions,
  ) {}

  publish(event: string, data: object): WebhookDelivery[] {
    return this.store.state.qms.webhookUrls.map((url) => {
      const webhookId = `wh_${randomUUID()}`;
      const body = JSON.stringify({
        id: webhookId,
        event,
        occurred_at: new Date().toISOString(),
        data,
      });
      const delivery: WebhookDelivery = {
        webhookId,
        url,
        event,
        body,
        attempts: 0,
        status: 'pending',
        lastStatusCode: null,
        lastError: null,
      };
      this.store.state.qms.webhookDeliveries.push(delivery);
      this.start(delivery);
      return delivery;
    });
  }

  /** Sends an existing delivery again, same id and body (as a vendor's "redeliver" button). */
  redeliver(delivery: WebhookDelivery): void {
    delivery.status = 'pending';
    this.start(delivery);
  }

  /** Waits for deliveries in flight; pending retries are cancelled. */
  async close(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private start(delivery: WebhookDelivery): void {
    const running = this.deliver(delivery).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  private async deliver(delivery: WebhookDelivery): Promise<void> {
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt += 1) {
      if (this.abort.signal.aborted) return;
      if (await this.attempt(delivery)) {
        delivery.status = 'delivered';
        return;
      }
      if (attempt < this.options.maxAttempts) {
        const delay = this.options.retryDelayMs * 2 ** (attempt - 1);
        const waited = await sleep(delay, true, { signal: this.abort.signal }).catch(() => false);
        if (!waited) return;
      }
    }
    delivery.status = 'failed';
  }

  private async attempt(delivery: WebhookDelivery): Promise<boolean> {
    delivery.attempts += 1;
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-webhook-id': delivery.webhookId,
          'x-webhook-event': delivery.event,
          'x-threadline-timestamp': timestamp,
          'x-threadline-signature': signWebhook(this.options.secret, timestamp, delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      await response.arrayBuffer();
      delivery.lastStatusCode = response.status;
      delivery.lastError = null;
      return response.ok;
    } catch (error: unknown) {
      delivery.lastError = error instanceof Error ? error.message : String(error);
      return false;
    }
  }
}
