/**
 * A connector configuration as it is after loading: interpolated, validated against
 * schemas/config/connector/v1.json, defaults applied and mapping files read.
 * Written by hand beside the schema; the loader's tests keep the two in step.
 */
export type ConnectorSystem = 'erp' | 'mes' | 'qms' | 'cmms' | 'plc';
export type AuthType = 'basic' | 'bearer' | 'api-key' | 'none';
export type CommandIdempotency = 'header' | 'external-reference' | 'none';
export type CommandMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A JSONata expression and where it came from (`file` when it was `{ file: x.jsonata }`). */
export interface ResolvedMapping {
  expression: string;
  /** Absolute path of the mapping file; absent for an inline expression. */
  file?: string;
}

export interface TargetAuth {
  type: AuthType;
  username?: string;
  password?: string;
  token?: string;
  header?: string;
  key?: string;
}

export interface RetrySettings {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface TargetSettings {
  baseUrl: string;
  timeoutMs: number;
  auth?: TargetAuth;
  rateLimit?: { requestsPerSecond: number; burst?: number };
  retry?: RetrySettings;
  circuitBreaker?: { failureThreshold: number; openSeconds: number };
  /** GET below baseUrl proving the target answers (connection test, readiness). */
  probePath?: string;
}

/** How an inbound record's subject, idempotency key and time are read (see InboundIdentityRules). */
export interface IdentitySettings {
  fact?: string;
  factExpression?: string;
  subject?: string;
  objectId?: string;
  time?: string;
}

export interface PollingSource {
  name: string;
  resource: string;
  intervalSeconds: number;
  cursorField: string;
  mapping: ResolvedMapping;
  eventType: string;
  /** JSONata predicate over each record; records it is false for are skipped. */
  where?: string;
  pageSize?: number;
  identity?: IdentitySettings;
}

export interface WebhookSource {
  name: string;
  path: string;
  secret: string;
  toleranceSeconds: number;
  /** JSONata predicate over the delivery; false: acknowledged and ignored. */
  where?: string;
  mapping: ResolvedMapping;
  eventType: string;
  identity?: IdentitySettings;
}

export interface CommandBinding {
  type: string;
  /** `path` may hold `{expression}` parts, JSONata over the command, URL-encoded. */
  request: { method: CommandMethod; path: string };
  /** Command envelope -> vendor request body. */
  mapping: ResolvedMapping;
  /** `{command, response, status}` -> the success event's data. */
  result: ResolvedMapping;
  /** The answer's key `{system}:{objectId}:{fact}` instead of `<command key>:done`. */
  identity?: { objectId?: string; fact: string };
  idempotency: CommandIdempotency;
}

export interface ConnectorConfig {
  apiVersion: 'threadline/v1';
  kind: 'Connector';
  metadata: { name: string; plant: string; description?: string };
  spec: {
    system: ConnectorSystem;
    adapter: string;
    /** Every system but `plc` has one (the schema requires it); see `targetOf`. */
    target?: TargetSettings;
    /** `system: plc` only: its shape is the PLC connector's (apps/connector-plc). */
    plc?: Record<string, unknown>;
    inbound?: { polling?: PollingSource[]; webhooks?: WebhookSource[] };
    outbound?: { commands: CommandBinding[] };
    options?: Record<string, unknown>;
  };
}

/** A configuration and the file it came from. */
export interface LoadedConnectorConfig {
  file: string;
  config: ConnectorConfig;
}

/**
 * One problem in one file. `path` is the dotted field path (`spec.target.timeoutMs`, empty for
 * the whole file); `line`/`column` (1-based) point into the YAML when the field exists there.
 */
export interface ConfigIssue {
  file: string;
  path: string;
  rule: string;
  line?: number;
  column?: number;
}

export interface ConfigLoadResult {
  configs: LoadedConnectorConfig[];
  errors: ConfigIssue[];
}

/** The target of a configuration that has one (every system but `plc`; the schema requires it). */
export function targetOf(config: ConnectorConfig): TargetSettings {
  const target = config.spec.target;
  if (target === undefined) {
    throw new Error(`connector ${config.metadata.name} (${config.spec.system}) has no spec.target`);
  }
  return target;
}
