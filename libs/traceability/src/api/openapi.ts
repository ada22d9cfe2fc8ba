import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { TraceabilityApiModule } from './traceability-api.module';

/** Where the API serves the Swagger UI; the document is at `${OPENAPI_PATH}/openapi.json`. */
export const OPENAPI_PATH = 'docs';
export const OPENAPI_JSON_PATH = `${OPENAPI_PATH}/openapi.json`;

/**
 * The OpenAPI document of the traceability routes, from TraceabilityApiModule's controller as
 * mounted in `app` (the traceability service, the gateway): other modules of the app are left out.
 */
export function traceabilityOpenApi(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Threadline traceability API')
    .setDescription(
      'Lot genealogy: lots, traces, recall scope, reports, EPCIS and gaps. ' +
        'Errors are {code, message}; the message names the field and the rule.',
    )
    .setVersion(version)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/')
    .addTag('traceability', 'Queries over the lot genealogy the traceability service records.')
    .build();
  return inConventionalOrder(
    SwaggerModule.createDocument(app, config, { include: [TraceabilityApiModule] }),
  );
}

/**
 * The document built from the module alone, with no database (the data source is never
 * initialized, so nothing connects): what `npm run gen:openapi` writes to docs/openapi.json.
 */
export async function buildTraceabilityOpenApi(version: string): Promise<OpenAPIObject> {
  const unconnected = new DataSource({ type: 'postgres' });
  const app = await NestFactory.create(TraceabilityApiModule.forDataSource(unconnected), {
    logger: false,
  });
  try {
    return traceabilityOpenApi(app, version);
  } finally {
    await app.close();
  }
}

/** The document as committed: two-space JSON with a trailing newline. */
export function renderOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

const TOP_LEVEL: readonly (keyof OpenAPIObject)[] = [
  'openapi',
  'info',
  'servers',
  'tags',
  'paths',
  'components',
];

/**
 * The top-level keys in the usual reading order and component schemas by name, so the file does
 * not change when decorators or imports move; paths keep the controller's route order.
 */
export function inConventionalOrder(document: OpenAPIObject): OpenAPIObject {
  const ordered: Record<string, unknown> = {};
  for (const key of [...TOP_LEVEL, ...Object.keys(document)]) {
    if (document[key as keyof OpenAPIObject] !== undefined) {
      ordered[key] = document[key as keyof OpenAPIObject];
    }
  }
  const schemas = document.components?.schemas ?? {};
  ordered.components = {
    ...document.components,
    schemas: Object.fromEntries(
      Object.keys(schemas)
        .sort()
        .map((name) => [name, schemas[name]]),
    ),
  };
  return ordered as unknown as OpenAPIObject;
}
