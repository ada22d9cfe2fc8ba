import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { TraceabilityApiModule } from './traceability-api.module';

/** Where the API serves its OpenAPI document and the Swagger UI. */
export const OPENAPI_PATH = 'docs';

/** The OpenAPI document of an app that mounts the traceability routes. */
export function traceabilityOpenApi(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Threadline traceability API')
    .setDescription(
      'Lot genealogy: lots, traces, recall scope, reports, EPCIS and gaps. ' +
        'Errors are {code, message}; the message names the field and the rule.',
    )
    .setVersion(version)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * The document built from the module alone, with no database (the data source is never
 * connected): what `npm run gen:openapi` writes to docs/openapi.json.
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
