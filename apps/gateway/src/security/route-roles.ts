import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ROLES, type Role } from '@threadline/security';

/** Who may call a route: the roles admitted, and whether it is open without a credential. */
export interface RouteRule {
  readonly roles: readonly Role[];
  /** `always`: no credential needed; `unless-metrics-auth`: open unless METRICS_REQUIRE_AUTH=true. */
  readonly open?: 'always' | 'unless-metrics-auth';
}

const ALL: readonly Role[] = ROLES;
const OPERATIONS: readonly Role[] = ['operator', 'integration-admin', 'auditor'];

/**
 * THE route-to-role table of the gateway (issue #8): every route has exactly one line, keyed
 * `METHOD /path` with `{param}`s as in the OpenAPI document. The guard enforces it, the OpenAPI
 * document shows it (security and `x-roles` per operation), the README prints it, and the gateway
 * refuses to start when a route has no line (nothing is open by omission).
 */
export const ROUTE_ROLES: Readonly<Record<string, RouteRule>> = {
  'GET /health': { roles: [], open: 'always' },
  'GET /metrics': { roles: ALL, open: 'unless-metrics-auth' },
  'GET /api/v1/flows': { roles: ALL },
  'GET /api/v1/flows/{id}': { roles: ALL },
  'GET /api/v1/events': { roles: ALL },
  'POST /api/v1/events/replay': { roles: ['operator'] },
  'GET /api/v1/dlq': { roles: OPERATIONS },
  'GET /api/v1/dlq/{queue}/messages': { roles: OPERATIONS },
  'POST /api/v1/dlq/{queue}/redrive': { roles: ['operator'] },
  'GET /api/v1/connectors': { roles: ALL },
  'POST /api/v1/holds/{holdId}/release': { roles: ['quality-approver'] },
  'GET /api/v1/lots/{lotId}': { roles: ALL },
  'GET /api/v1/lots/{lotId}/trace': { roles: ALL },
  'GET /api/v1/lots/{lotId}/recall-scope': { roles: ALL },
  'GET /api/v1/lots/{lotId}/report': { roles: ALL },
  'GET /api/v1/lots/{lotId}/epcis': { roles: ALL },
  'GET /api/v1/gaps': { roles: ALL },
  'GET /api/v1/audit': { roles: ['auditor'] },
};

/** `METHOD /path` of a handler, from Nest's route metadata (the OpenAPI form of parameters). */
export function routeKey(controller: Type, handler: object): string | undefined {
  const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
  if (path === undefined) return undefined;
  const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
  const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
  const joined = [base, path]
    .flatMap((part) => part.split('/'))
    .filter((part) => part !== '')
    .join('/');
  return `${method} /${joined}`.replace(/:(\w+)/g, '{$1}');
}

/** Every route of the controllers, from Nest's metadata. */
export function routesOf(controllers: readonly Type[]): string[] {
  return controllers.flatMap((controller) => {
    const prototype = controller.prototype as Record<string, object>;
    return Object.getOwnPropertyNames(prototype)
      .filter((name) => name !== 'constructor' && typeof prototype[name] === 'function')
      .map((name) => routeKey(controller, prototype[name]))
      .filter((key): key is string => key !== undefined);
  });
}

/** The table as the README shows it (a unit test keeps the README in step). */
export function renderRouteRoleTable(): string {
  const roles = (list: readonly Role[]) =>
    list.length === ALL.length ? 'any role' : list.join(', ');
  const rows = Object.entries(ROUTE_ROLES).map(([route, rule]) => [
    `\`${route}\``,
    rule.open === 'always'
      ? 'none (open)'
      : rule.open === 'unless-metrics-auth'
        ? `open; any role with \`METRICS_REQUIRE_AUTH=true\``
        : roles(rule.roles),
  ]);
  const width = [
    Math.max(5, ...rows.map((row) => row[0].length)),
    Math.max(5, ...rows.map((row) => row[1].length)),
  ];
  const line = (cells: string[]) =>
    `| ${cells.map((cell, index) => cell.padEnd(width[index])).join(' | ')} |`;
  return [
    line(['route', 'roles']),
    `| ${width.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}
