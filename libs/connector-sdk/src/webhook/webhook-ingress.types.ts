import type { CloudEvent } from '@threadline/contracts';
import type { Logger, MetricsRegistry } from '@threadline/observability';
import type { InboundMapper } from '../mapping/inbound-mapper';
import type { CompiledMapping } from '../mapping/mapping';
import type { MappingRejection } from '../mapping/mapping-rejection';
import type { HeaderValue, WebhookSignatureFailure } from '@threadline/security';

/** One webhook endpoint: where it listens, how it is signed, and how its payload maps. */
export interface WebhookEndpoint {
  /** The configured name (`spec.inbound.webhooks[].name`), the metric's `webhook` label. */
  name: string;
  /** Exact request path, e.g. `/webhooks/qms/nonconformances` (any query string is ignored). */
  path: string;
  secret: string;
  /** Signature window in seconds, either direction; default 300. */
  toleranceSeconds?: number;
  /** Deliveries it is false for are answered 200 `{ ignored: true }` and not published. */
  where?: CompiledMapping;
  mapper: InboundMapper;
}

export interface WebhookIngressOptions {
  /** The connector's name, the metric's `connector` label. */
  connector: string;
  webhooks: readonly WebhookEndpoint[];
  /** Where accepted events go: the outbox (`MessagingRuntime.publisher`). */
  publisher: { publish(event: CloudEvent): Promise<void> };
  logger: Logger;
  /** Counts refused requests in `threadline_webhook_rejected_total{connector,webhook,reason}`. */
  metrics?: MetricsRegistry;
  /** Receives payloads the mapping rejects (the connector's DLQ); it throwing makes the answer 503. */
  onRejectedMapping?: (rejection: MappingRejection) => Promise<void>;
  /** Largest body accepted; default 1 MiB. */
  maxBodyBytes?: number;
  /** Deliveries remembered for replay detection; default 10 000. */
  replayCacheSize?: number;
  /** Default `Date.now`; tests pass their own clock. */
  now?: () => number;
}

export interface WebhookRequest {
  method: string;
  /** The request target; a query string is ignored. */
  path: string;
  /** As node:http gives them: lower-case names. */
  headers: Record<string, HeaderValue>;
  /** The body exactly as received: the signature covers these bytes. */
  rawBody: Buffer;
  /** The body passed `maxBodyBytes` and was not read to the end (`rawBody` is then partial). */
  truncated?: boolean;
}

export interface WebhookResponse {
  status: number;
  body: object;
  headers?: Record<string, string>;
}

export interface WebhookIngress {
  readonly maxBodyBytes: number;
  handle(request: WebhookRequest): Promise<WebhookResponse>;
}

/** The `reason` label of `threadline_webhook_rejected_total`: a fixed set. */
export type WebhookRejectionReason =
  WebhookSignatureFailure | 'method-not-allowed' | 'payload-too-large' | 'invalid-json';
