import type { MetricsRegistry } from '@threadline/observability';
import type { SchemaRegistry } from '@threadline/schema-registry';
import type {
  ConnectorConfig,
  IdentitySettings,
  PollingSource,
  WebhookSource,
} from '../config/connector-config.types';
import { InboundMapper, type InboundIdentityRules } from '../mapping/inbound-mapper';
import { compileMapping } from '../mapping/mapping';

/** The mapper of a polling or webhook source: its mapping, event type and identity rules. */
export function inboundMapperFor(
  config: ConnectorConfig,
  source: PollingSource | WebhookSource,
  registry: SchemaRegistry,
  metrics?: MetricsRegistry,
): InboundMapper {
  const name = config.metadata.name;
  return new InboundMapper({
    mapping: compileMapping(
      source.mapping.expression,
      source.mapping.file ?? `${name}/${source.name}`,
    ),
    eventType: source.eventType,
    source: { plant: config.metadata.plant, system: config.spec.system, connectorId: name },
    identity: identityRules(source.eventType, source.identity),
    registry,
    metrics,
  });
}

function identityRules(eventType: string, identity: IdentitySettings = {}): InboundIdentityRules {
  const fact = identity.factExpression
    ? { expression: identity.factExpression }
    : (identity.fact ?? eventType.slice(eventType.lastIndexOf('.') + 1));
  return {
    fact,
    ...(identity.subject ? { subject: identity.subject } : {}),
    ...(identity.objectId ? { objectId: identity.objectId } : {}),
    ...(identity.time ? { time: identity.time } : {}),
  };
}
