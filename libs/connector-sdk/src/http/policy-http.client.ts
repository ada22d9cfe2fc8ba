import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isRetryable } from '@threadline/core';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { TargetState } from '@threadline/observability';
import { TARGET_STATE_VALUE } from '@threadline/observability';
import { CircuitBreaker, type CircuitPermit } from './circuit-breaker';
import { systemClock, type Clock } from './clock';
import { classifyHttpFailure, classifyHttpStatus } from './http-failure.classifier';
import {
  CircuitOpenError,
  HttpPermanentError,
  HttpTransientError,
  type HttpFailureDetails,
} from './http.errors';
import { validatePolicyHttpOptions, type PolicyHttpClientOptions } from './policy-http.options';
import { TokenBucketRateLimiter } from './rate-limiter';
import { parseRetryAfterMs, runWithRetry } from './retry-policy';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PolicyHttpRequest {
  method: HttpMethod;
  /** Relative to `baseUrl`, query string included. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as `Idempotency-Key`, the same on every retry of this request. */
  idempotencyKey?: string;
  /** One attempt only (a probe wants the target's state now, not after backoff). */
  once?: boolean;
}

export interface PolicyHttpResponse<T> {
  /** Below 400, or 409 (already done or concurrent: the caller decides). */
  status: number;
  headers: Record<string, string>;
  data: T;
}

export interface PolicyHttpClient {
  request<T>(request: PolicyHttpRequest): Promise<PolicyHttpResponse<T>>;
  state(): TargetState;
  /** Rejects queued and in-flight requests with a TransientError and frees sockets. */
  close(): void;
}

/**
 * The only place the connector SDK touches axios: every outbound call of a connector goes
 * through circuit breaker, rate limit, per-attempt timeout and the shared retry policy.
 */
export function createPolicyHttpClient(options: PolicyHttpClientOptions): PolicyHttpClient {
  validatePolicyHttpOptions(options);
  return new RetryingHttpClient(options);
}

class RetryingHttpClient implements PolicyHttpClient {
  private readonly clock: Clock;
  private readonly breaker: CircuitBreaker;
  private readonly limiter?: TokenBucketRateLimiter;
  private readonly agents = {
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
  };
  private readonly http: AxiosInstance;
  private readonly closing = new AbortController();

  constructor(private readonly options: PolicyHttpClientOptions) {
    const { system } = options;
    this.clock = options.clock ?? systemClock;
    this.breaker = new CircuitBreaker({
      ...options.circuitBreaker,
      system,
      clock: this.clock,
      onStateChange: (state) => this.reportState(state),
    });
    // The gauge exists from the start: a target never called yet is presumed up.
    options.metrics?.connectorTargetUp.set({ system }, TARGET_STATE_VALUE.up);
    if (options.rateLimit) {
      const limiterOptions = { system, clock: this.clock, maxWaiters: options.maxQueuedRequests };
      this.limiter = new TokenBucketRateLimiter(options.rateLimit, limiterOptions);
    }
    this.http = axios.create({
      ...this.agents,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      headers: options.auth?.headers,
      // Credentials must never follow a redirect to another host; 3xx is returned as it is.
      maxRedirects: 0,
      // Every status is a response here; the classifier decides what it means.
      validateStatus: () => true,
    });
  }

  request<T>(request: PolicyHttpRequest): Promise<PolicyHttpResponse<T>> {
    const retry = request.once ? { ...this.options.retry, maxAttempts: 1 } : this.options.retry;
    return runWithRetry(() => this.attempt<T>(request), retry, {
      clock: this.clock,
      random: this.options.random,
      // An open circuit ends in-process retrying: the broker's retry tier waits longer.
      shouldRetry: (error) =>
        !(error instanceof CircuitOpenError) && !this.closing.signal.aborted && isRetryable(error),
    });
  }

  state(): TargetState {
    return this.breaker.state();
  }

  close(): void {
    this.closing.abort();
    this.limiter?.close();
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }

  private async attempt<T>(request: PolicyHttpRequest): Promise<PolicyHttpResponse<T>> {
    const details = describeRequest(this.options.system, request);
    if (this.closing.signal.aborted) {
      throw new HttpTransientError({ ...details, code: 'CLIENT_CLOSED' });
    }
    const permit = this.breaker.acquire();
    try {
      await this.limiter?.acquire();
    } catch (error) {
      permit.abandoned();
      throw error;
    }
    const response = await this.send<T>(request, permit);
    return settle(response, details, permit, this.clock.now());
  }

  private async send<T>(
    request: PolicyHttpRequest,
    permit: CircuitPermit,
  ): Promise<AxiosResponse<T>> {
    const headers = { ...request.headers };
    if (request.idempotencyKey !== undefined) headers['Idempotency-Key'] = request.idempotencyKey;
    // axios's timeout is a socket idle timeout; the deadline also bounds a trickling response.
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    try {
      return await this.http.request<T>({
        method: request.method,
        url: request.path,
        headers,
        data: request.body,
        signal: AbortSignal.any([this.closing.signal, deadline]),
      });
    } catch (error) {
      throw this.failure(error, describeRequest(this.options.system, request), permit, deadline);
    }
  }

  /** The typed error for a call without a response; reports the outcome to the breaker. */
  private failure(
    error: unknown,
    details: HttpFailureDetails,
    permit: CircuitPermit,
    deadline: AbortSignal,
  ): Error {
    // The axios error holds the request config (auth headers, body): keep only its message.
    const cause = new Error(error instanceof Error ? error.message : String(error));
    if (this.closing.signal.aborted) {
      // Closed mid-flight: says nothing about the target's health.
      permit.abandoned();
      return new HttpTransientError({ ...details, code: 'CLIENT_CLOSED' }, cause);
    }
    const code = deadline.aborted ? 'ETIMEDOUT' : errorCode(error);
    if (classifyHttpFailure({ code }) === 'permanent') {
      permit.abandoned();
      return new HttpPermanentError({ ...details, code }, cause);
    }
    permit.failed();
    return new HttpTransientError({ ...details, code }, cause);
  }

  private reportState(state: TargetState): void {
    this.options.metrics?.connectorTargetUp.set(
      { system: this.options.system },
      TARGET_STATE_VALUE[state],
    );
    this.options.onStateChange?.(state);
  }
}

function settle<T>(
  response: AxiosResponse<T>,
  request: HttpFailureDetails,
  permit: CircuitPermit,
  nowMs: number,
): PolicyHttpResponse<T> {
  const details = { ...request, status: response.status };
  const outcome = classifyHttpStatus(response.status);
  switch (outcome) {
    case 'success':
    case 'conflict':
      permit.succeeded();
      return {
        status: response.status,
        headers: flattenHeaders(response.headers),
        data: response.data,
      };
    case 'permanent':
      // The target answered: it is reachable, whatever it thought of the request.
      permit.succeeded();
      throw new HttpPermanentError(details);
    case 'transient': {
      permit.failed();
      const retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], nowMs);
      throw new HttpTransientError({ ...details, retryAfterMs });
    }
  }
}

function describeRequest(system: string, request: PolicyHttpRequest): HttpFailureDetails {
  return { system, method: request.method, path: request.path.split('?')[0] ?? request.path };
}

function flattenHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number')
      flat[name.toLowerCase()] = String(value);
    else if (Array.isArray(value)) flat[name.toLowerCase()] = value.map(String).join(', ');
  }
  return flat;
}

function errorCode(error: unknown): string | undefined {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
