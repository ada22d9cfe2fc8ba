import type { CloudEvent } from '@threadline/contracts';
import type { Logger } from '@threadline/observability';
import type {
  CommandBinding,
  ConnectorConfig,
  ConnectorSystem,
  PollingSource,
  RetrySettings,
} from '../config/connector-config.types';
import type { CircuitBreakerSettings } from '../http/circuit-breaker';
import type { PolicyHttpClient } from '../http/policy-http.client';
import type { VendorRequest } from '../mapping/outbound-mapper';

/**
 * One connector kind, declared beside its code and registered by name (STYLE.md §6): which
 * configurations may choose it (`spec.adapter`), what it consumes and produces, its default
 * retry policy, its own configuration rules, and how to build its adapter.
 */
export interface ConnectorSpec {
  /** The name configurations give as `spec.adapter`, e.g. `sap-odata-v2`. */
  readonly adapter: string;
  readonly system: ConnectorSystem;
  readonly description: string;
  /** Command types it executes, each with the success event it answers with (catalog §5). */
  readonly commands: Readonly<Record<string, string>>;
  /** Event types its polling and webhook sources may produce. */
  readonly events: readonly string[];
  /** Used when the configuration gives no `target.retry` / `target.circuitBreaker`. */
  readonly retry: RetrySettings;
  readonly circuitBreaker: CircuitBreakerSettings;
  /** GET path proving the target answers, when the configuration gives no `target.probePath`. */
  readonly probePath: string;
  /** Checks of `spec.options`; each problem names the field and the rule. */
  readonly checkOptions?: (options: Record<string, unknown>) => string[];
  readonly create: (context: AdapterContext) => ConnectorAdapter;
}

export interface AdapterContext {
  readonly config: ConnectorConfig;
  readonly http: PolicyHttpClient;
  readonly logger: Logger;
}

/** What a connector does against its target. Everything else (bus, cursors, DLQ) is the host's. */
export interface ConnectorAdapter {
  /**
   * Sends one command's request so that, however often it is called for the same command, the
   * target acts once (Idempotency-Key, or check-before-create on an external reference).
   * Resolves with the target's answer; throws a TransientError to retry later, a
   * PermanentError when retrying cannot help.
   */
  execute(request: CommandRequest): Promise<CommandAnswer>;
  /** The records after `cursor` (undefined: from the beginning), one page. */
  poll(source: PollingSource, cursor: string | undefined): Promise<PolledPage>;
}

export interface CommandRequest {
  readonly command: CloudEvent;
  readonly binding: CommandBinding;
  /** The vendor request built from the binding and its mapping. */
  readonly request: VendorRequest;
}

export interface CommandAnswer {
  readonly status: number;
  /** The vendor's answer, bound as `response` in the binding's result mapping. */
  readonly response: unknown;
}

export interface PolledPage {
  readonly records: readonly unknown[];
  /** Where the next poll starts; stored with this page's events in one transaction. */
  readonly cursor: string | undefined;
  /** More records are waiting: poll again at once instead of after the interval. */
  readonly hasMore: boolean;
}
