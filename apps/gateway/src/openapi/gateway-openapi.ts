import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { inConventionalOrder } from '@threadline/traceability';
import { GatewayApiModule } from '../gateway-api.module';
import { withRouteRoles } from '../security/openapi-security';

/** The OpenAPI document of every gateway route (the traceability routes included). */
export function gatewayOpenApi(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Threadline API')
    .setDescription(
      'The gateway: flows, events, dead-letter queues, connectors, health and metrics, and the ' +
        'traceability queries. Lists take `limit` and an opaque `cursor` and answer ' +
        '`{items, nextCursor, next}`. Errors are {code, message}; the message names the field ' +
        'and the rule. Every route but /health (and /metrics unless METRICS_REQUIRE_AUTH=true) ' +
        'needs a bearer token or an API key; each operation names its roles (`x-roles`).',
    )
    .setVersion(version)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/')
    .addTag('flows', "The orchestrator's flows and their timelines.")
    .addTag('events', 'Accepted events by business transaction, from the event log.')
    .addTag('dlq', 'Dead-letter queues: what failed, and re-drives on record.')
    .addTag('connectors', 'Connector configurations, their targets and health.')
    .addTag('holds', 'Hold release by a quality approver, with segregation of duties.')
    .addTag('traceability', 'Queries over the lot genealogy the traceability service records.')
    .addTag('operations', 'Health and metrics.')
    .build();
  return inConventionalOrder(withRouteRoles(SwaggerModule.createDocument(app, config)));
}

/** The document with nothing connected: what `npm run gen:openapi` writes to docs/openapi.json. */
export async function buildGatewayOpenApi(version: string): Promise<OpenAPIObject> {
  const app = await NestFactory.create(GatewayApiModule.forDeps(undefined), { logger: false });
  try {
    return gatewayOpenApi(app, version);
  } finally {
    await app.close();
  }
}
