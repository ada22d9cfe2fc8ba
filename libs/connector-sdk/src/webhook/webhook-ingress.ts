import { ThreadlineError } from '@threadline/core';
import type { InboundMappingResult } from '../mapping/inbound-mapper';
import type { Logger } from '@threadline/observability';
import { WebhookReplayCache, type DeliveryOutcome } from './webhook-replay.cache';
import type {
  WebhookEndpoint,
  WebhookIngress,
  WebhookIngressOptions,
  WebhookRejectionReason,
  WebhookRequest,
  WebhookResponse,
} from './webhook-ingress.types';
import { verifyWebhookSignature, type WebhookSignatureFailure } from '@threadline/security';

export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_REPLAY_CACHE_SIZE = 10_000;

const SIGNATURE_MESSAGES: Readonly<Record<WebhookSignatureFailure, string>> = {
  'missing-signature': 'the X-Threadline-Signature header is missing',
  'missing-timestamp': 'the X-Threadline-Timestamp header is missing',
  malformed:
    'X-Threadline-Signature must be sha256=<64 hex digits> and X-Threadline-Timestamp unix seconds',
  'timestamp-outside-window': 'X-Threadline-Timestamp is outside the accepted time window',
  'signature-mismatch': 'X-Threadline-Signature does not match the body and timestamp',
};

/**
 * A framework-free webhook endpoint: verify the signature over the raw body, parse, map to a
 * canonical event, write it to the outbox. The answer tells a vendor whether to retry: 2xx means
 * "done, never send again", 4xx "this request is wrong", 409 and 5xx "try again later".
 */
export function createWebhookIngress(options: WebhookIngressOptions): WebhookIngress {
  return new WebhookIngressHandler(options);
}

class WebhookIngressHandler implements WebhookIngress {
  readonly maxBodyBytes: number;
  private readonly endpoints: Map<string, WebhookEndpoint>;
  private readonly now: () => number;
  private readonly replays: WebhookReplayCache;
  private readonly logger: Logger;

  constructor(private readonly options: WebhookIngressOptions) {
    this.endpoints = indexEndpoints(options.webhooks);
    this.now = options.now ?? Date.now;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
    const longestWindow = Math.max(0, ...options.webhooks.map(toleranceOf));
    this.replays = new WebhookReplayCache({
      maxEntries: options.replayCacheSize ?? DEFAULT_REPLAY_CACHE_SIZE,
      // A timestamp may lie up to the window ahead of the clock, so a captured request stays
      // valid for up to twice the window after it was first seen.
      ttlMs: 2 * longestWindow * 1000,
      now: this.now,
    });
    this.logger = options.logger.child({
      component: 'webhook-ingress',
      connector: options.connector,
    });
  }

  async handle(request: WebhookRequest): Promise<WebhookResponse> {
    const endpoint = this.endpoints.get(pathOf(request.path));
    if (endpoint === undefined) return errorResponse(404, 'not-found', 'no webhook at this path');
    if (request.method.toUpperCase() !== 'POST') {
      const response = errorResponse(405, 'method-not-allowed', 'webhooks are delivered with POST');
      return this.refuse(endpoint, 'method-not-allowed', {
        ...response,
        headers: { allow: 'POST' },
      });
    }
    if (request.truncated === true || request.rawBody.length > this.maxBodyBytes) {
      const message = `the body is larger than ${this.maxBodyBytes} bytes`;
      return this.refuse(
        endpoint,
        'payload-too-large',
        errorResponse(413, 'payload-too-large', message),
      );
    }
    const verdict = verifyWebhookSignature({
      rawBody: request.rawBody,
      timestampHeader: request.headers['x-threadline-timestamp'],
      signatureHeader: request.headers['x-threadline-signature'],
      secret: endpoint.secret,
      toleranceSeconds: toleranceOf(endpoint),
      now: new Date(this.now()),
    });
    if (!verdict.ok) {
      const message = `signature rejected: ${verdict.reason}: ${SIGNATURE_MESSAGES[verdict.reason]}`;
      return this.refuse(
        endpoint,
        verdict.reason,
        errorResponse(401, 'invalid-signature', message),
      );
    }
    // Parsed only now: nothing reads an unauthenticated body.
    const payload = parseJson(request.rawBody);
    if (payload === undefined) {
      const response = errorResponse(400, 'invalid-json', 'the body is not valid JSON');
      return this.refuse(endpoint, 'invalid-json', response);
    }
    return this.deliverOnce(endpoint, webhookIdOf(request), payload.value);
  }

  private refuse(
    endpoint: WebhookEndpoint,
    reason: WebhookRejectionReason,
    response: WebhookResponse,
  ): WebhookResponse {
    this.options.metrics?.webhookRejected.inc({
      connector: this.options.connector,
      webhook: endpoint.name,
      reason,
    });
    this.logger.warn({ webhook: endpoint.name, reason }, 'webhook request refused');
    return response;
  }

  /** Once per delivery id: a concurrent copy gets 409 (retry), a later one the first outcome. */
  private async deliverOnce(
    endpoint: WebhookEndpoint,
    webhookId: string | undefined,
    payload: unknown,
  ): Promise<WebhookResponse> {
    if (webhookId === undefined) return this.accept(endpoint, payload);
    const key = `${endpoint.name}\u0000${webhookId}`;
    const seen = this.replays.get(key);
    if (seen !== undefined) return this.replayResponse(endpoint, webhookId, seen);
    this.replays.set(key, { state: 'in-progress' });
    try {
      const response = await this.accept(endpoint, payload);
      recordOutcome(this.replays, key, response);
      return response;
    } catch (error) {
      this.replays.delete(key);
      throw error;
    }
  }

  private async accept(endpoint: WebhookEndpoint, payload: unknown): Promise<WebhookResponse> {
    if (endpoint.where !== undefined) {
      let wanted: unknown;
      try {
        wanted = await endpoint.where.evaluate(payload);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return errorResponse(
          422,
          'where-failed',
          `the webhook's where condition failed: ${message}`,
        );
      }
      // Another kind of delivery (the sender posts every kind to every URL): done, not ours.
      if (wanted !== true) return { status: 200, body: { ignored: true } };
    }
    const result = await endpoint.mapper.map(payload);
    if (!result.ok) return this.rejectMapping(endpoint, result);
    try {
      await this.options.publisher.publish(result.event);
    } catch (error) {
      this.logger.error({ webhook: endpoint.name, err: error }, 'webhook event not published');
      return errorResponse(503, 'publish-failed', 'the event could not be stored; retry later');
    }
    const { id, idempotencykey } = result.event;
    this.logger.info({ webhook: endpoint.name, eventId: id, idempotencykey }, 'webhook accepted');
    return { status: 202, body: { accepted: true, id, idempotencykey } };
  }

  private async rejectMapping(
    endpoint: WebhookEndpoint,
    result: Extract<InboundMappingResult, { ok: false }>,
  ): Promise<WebhookResponse> {
    try {
      await this.options.onRejectedMapping?.(result.rejection);
    } catch (error) {
      this.logger.error({ webhook: endpoint.name, err: error }, 'rejected webhook not stored');
      return errorResponse(503, 'rejection-not-stored', 'the payload could not be stored; retry');
    }
    this.logger.warn({ webhook: endpoint.name, reason: result.reason }, 'webhook payload rejected');
    const eventType = result.rejection.eventType;
    return {
      status: 422,
      body: {
        error: {
          code: 'mapping-rejected',
          message: `the payload does not map to a valid ${eventType} (${result.reason})`,
          issues: result.errors.map(({ path, message }) => ({ path, message })),
        },
      },
    };
  }

  private replayResponse(
    endpoint: WebhookEndpoint,
    webhookId: string,
    seen: DeliveryOutcome,
  ): WebhookResponse {
    this.logger.info({ webhook: endpoint.name, webhookId, state: seen.state }, 'webhook replay');
    switch (seen.state) {
      case 'in-progress':
        return errorResponse(409, 'delivery-in-progress', 'this delivery is being handled; retry');
      case 'accepted': {
        const { id, idempotencykey } = seen;
        return { status: 200, body: { duplicate: true, id, idempotencykey } };
      }
      case 'rejected':
        return { status: 200, body: { duplicate: true, rejected: true } };
    }
  }
}

function recordOutcome(replays: WebhookReplayCache, key: string, response: WebhookResponse): void {
  const body = response.body as { id?: string; idempotencykey?: string };
  if (response.status === 202 && body.id !== undefined && body.idempotencykey !== undefined) {
    replays.set(key, { state: 'accepted', id: body.id, idempotencykey: body.idempotencykey });
  } else if (response.status === 422) {
    // Dead-lettered once: a vendor retrying the 422 must not fill the DLQ with copies.
    replays.set(key, { state: 'rejected' });
  } else {
    replays.delete(key);
  }
}

function indexEndpoints(webhooks: readonly WebhookEndpoint[]): Map<string, WebhookEndpoint> {
  const byPath = new Map<string, WebhookEndpoint>();
  for (const endpoint of webhooks) {
    const problem = endpointProblem(endpoint, byPath);
    if (problem !== undefined) {
      throw new ThreadlineError('CONFIGURATION_INVALID', `webhook ${endpoint.name}: ${problem}`);
    }
    byPath.set(endpoint.path, endpoint);
  }
  return byPath;
}

function endpointProblem(
  endpoint: WebhookEndpoint,
  known: Map<string, WebhookEndpoint>,
): string | undefined {
  if (!endpoint.path.startsWith('/')) return `path must start with '/', got '${endpoint.path}'`;
  if (known.has(endpoint.path)) return `path ${endpoint.path} is already used`;
  if (endpoint.secret === '') return 'secret must not be empty';
  const tolerance = toleranceOf(endpoint);
  if (!Number.isInteger(tolerance) || tolerance < 1) {
    return `toleranceSeconds must be a positive integer, got ${tolerance}`;
  }
  return undefined;
}

function toleranceOf(endpoint: WebhookEndpoint): number {
  return endpoint.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
}

function pathOf(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

function webhookIdOf(request: WebhookRequest): string | undefined {
  const value = request.headers['x-webhook-id'];
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  return id === '' || id.length > 200 ? undefined : id;
}

function parseJson(rawBody: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(rawBody.toString('utf8')) as unknown };
  } catch {
    return undefined;
  }
}

function errorResponse(status: number, code: string, message: string): WebhookResponse {
  return { status, body: { error: { code, message } } };
}
