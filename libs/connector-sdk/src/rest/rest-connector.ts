import type { ConnectorSystem, RetrySettings } from '../config/connector-config.types';
import type { CircuitBreakerSettings } from '../http/circuit-breaker';
import { DEFAULT_CIRCUIT_BREAKER, DEFAULT_RETRY } from '../config/connector-defaults';
import type { ConnectorSpec } from '../runtime/connector-spec.types';
import { GenericRestAdapter } from './generic-rest.adapter';
import { restPaging, type RestPaging } from './rest-paging';

export interface RestConnectorDeclaration {
  adapter: string;
  system: ConnectorSystem;
  description: string;
  commands: Record<string, string>;
  events: readonly string[];
  paging: RestPaging;
  probePath: string;
  retry?: RetrySettings;
  circuitBreaker?: CircuitBreakerSettings;
}

/**
 * The spec of a REST connector that needs no code: the generic adapter with this API's paging
 * conventions as defaults (a configuration may override them in `spec.options.paging`).
 */
export function restConnector(declaration: RestConnectorDeclaration): ConnectorSpec {
  return {
    adapter: declaration.adapter,
    system: declaration.system,
    description: declaration.description,
    commands: declaration.commands,
    events: declaration.events,
    retry: declaration.retry ?? DEFAULT_RETRY,
    circuitBreaker: declaration.circuitBreaker ?? DEFAULT_CIRCUIT_BREAKER,
    probePath: declaration.probePath,
    checkOptions: (options) => restPaging(options, declaration.paging).problems,
    create: ({ config, http }) =>
      new GenericRestAdapter(
        http,
        restPaging(config.spec.options ?? {}, declaration.paging).paging,
      ),
  };
}
