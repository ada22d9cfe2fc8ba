import type { OpenAPIObject } from '@nestjs/swagger';
import type { SecurityRequirementObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { API_KEY_HEADER } from '@threadline/security';
import { ROUTE_ROLES } from './route-roles';

const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

function errorResponse(description: string, code: string, message: string) {
  return {
    description,
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/ApiError' },
        example: { code, message },
      },
    },
  };
}

const UNAUTHENTICATED = errorResponse(
  'UNAUTHENTICATED: no credential, or one that does not hold (expired, wrong issuer or audience, revoked key); WWW-Authenticate says Bearer.',
  'UNAUTHENTICATED',
  'token: expired',
);
const FORBIDDEN = errorResponse(
  'FORBIDDEN: the credential holds but has none of the roles of the route.',
  'FORBIDDEN',
  'GET /api/v1/dlq needs one of the roles operator, integration-admin, auditor; alice has viewer',
);
const TOO_MANY = errorResponse(
  'TOO_MANY_FAILED_AUTHENTICATIONS: too many failed authentications from this client; Retry-After says when to try again.',
  'TOO_MANY_FAILED_AUTHENTICATIONS',
  'too many failed authentications; retry after 42 s',
);

/**
 * The route-to-role table in the OpenAPI document: the two security schemes (bearer JWT and the
 * X-API-Key header), each operation's `security` and `x-roles`, the roles in its description,
 * and its 401, 403 and 429 answers. A route missing from the table is an error, not open.
 */
export function withRouteRoles(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'A JWT (HS256 with AUTH_JWT_SECRET, or RS256/ES256 from AUTH_JWKS_URL) with iss AUTH_ISSUER, aud AUTH_AUDIENCE, exp, sub, and the roles in the `roles` claim.',
      },
      apiKey: {
        type: 'apiKey',
        in: 'header',
        name: API_KEY_HEADER,
        description:
          'A machine API key (`npx threadline apikeys create --name <n> --role <role>`).',
      },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (typeof item)[typeof method] & { 'x-roles'?: string[] };
      if (!operation) continue;
      const route = `${method.toUpperCase()} ${path}`;
      const rule = ROUTE_ROLES[route];
      if (!rule) throw new Error(`${route} has no line in the route-to-role table`);
      if (rule.open === 'always') {
        operation.security = [];
        operation['x-roles'] = [];
        operation.description = withRoles(
          operation.description,
          'Roles: none, open to every caller.',
        );
        continue;
      }
      const schemes: SecurityRequirementObject[] = [{ bearer: [] }, { apiKey: [] }];
      operation.security = rule.open === 'unless-metrics-auth' ? [{}, ...schemes] : schemes;
      operation['x-roles'] = [...rule.roles];
      operation.description = withRoles(
        operation.description,
        rule.open === 'unless-metrics-auth'
          ? `Roles: open, unless METRICS_REQUIRE_AUTH=true: then ${rule.roles.join(', ')}.`
          : `Roles: ${rule.roles.join(', ')}.`,
      );
      operation.responses = {
        ...operation.responses,
        '401': UNAUTHENTICATED,
        '403': operation.responses['403'] ?? FORBIDDEN,
        '429': TOO_MANY,
      };
    }
  }
  return document;
}

function withRoles(description: string | undefined, roles: string): string {
  return description ? `${description}\n\n${roles}` : roles;
}
