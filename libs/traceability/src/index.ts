export * from './model';
export { GenealogyQueries, MAX_TRACE_DEPTH } from './queries/genealogy.queries';
export { isoTime, jsonValue, type Queryable } from './queries/sql';
export { ApiError, ApiErrorFilter, badQuery } from './api/api-errors';
export { integerIn, oneOf, onlyKnown } from './api/query-params';
export {
  ApiErrorSchema,
  INTERNAL_ANSWER,
  INVALID_QUERY_ANSWER,
  OPENAPI_FIELDS,
  errorAnswer,
} from './api/openapi-schemas';
export { TraceabilityApiModule } from './api/traceability-api.module';
export { TraceabilityController } from './api/traceability.controller';
export {
  OPENAPI_JSON_PATH,
  OPENAPI_PATH,
  buildTraceabilityOpenApi,
  inConventionalOrder,
  renderOpenApi,
  traceabilityOpenApi,
} from './api/openapi';
export { OpenApiConformance, type HttpAnswer } from './api/openapi-conformance';
export * from './report';
export * from './epcis';
