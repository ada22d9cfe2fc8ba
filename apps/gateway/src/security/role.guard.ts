import {
  HttpStatus,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import {
  API_KEY_HEADER,
  AuthenticationError,
  AuthenticationUnavailableError,
  TooManyFailuresError,
  setPrincipal,
  type Principal,
} from '@threadline/security';
import { ApiError } from '@threadline/traceability';
import type { Request, Response } from 'express';
import { GATEWAY_DEPS, type GatewayDeps } from '../gateway.options';
import { ROUTE_ROLES, routeKey } from './route-roles';

const REALM = 'Bearer realm="threadline"';

/**
 * Enforces ROUTE_ROLES on every gateway route: the credential is checked (401 with
 * WWW-Authenticate when missing or bad, 429 with Retry-After past the failure limit), then the
 * role (403). The principal is left on the request for the handlers (`principalOf`).
 */
@Injectable()
export class RoleGuard implements CanActivate {
  constructor(@Inject(GATEWAY_DEPS) private readonly deps: GatewayDeps | null) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = routeKey(context.getClass<Type>(), context.getHandler());
    const rule = route === undefined ? undefined : ROUTE_ROLES[route];
    if (!rule || !this.deps) {
      // Not in the table: refused to everyone (the gateway does not start with such a route).
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'FORBIDDEN',
        `${route}: no role may call this route`,
      );
    }
    const { settings, authenticator } = this.deps.security;
    if (rule.open === 'always') return true;
    if (rule.open === 'unless-metrics-auth' && !settings.metricsRequireAuth) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    let principal: Principal;
    try {
      principal = await authenticator.authenticate({
        authorization: request.headers.authorization,
        apiKey: request.headers[API_KEY_HEADER.toLowerCase()],
        client: request.ip ?? request.socket.remoteAddress ?? 'unknown',
        method: request.method,
        path: request.path,
      });
    } catch (error) {
      throw this.refusal(error, response);
    }
    setPrincipal(request, principal);
    if (!principal.roles.some((role) => rule.roles.includes(role))) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'FORBIDDEN',
        `${route} needs one of the roles ${rule.roles.join(', ')}; ` +
          `${principal.id} has ${principal.roles.join(', ') || 'none'}`,
      );
    }
    return true;
  }

  private refusal(error: unknown, response: Response): unknown {
    if (error instanceof TooManyFailuresError) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
      return new ApiError(
        HttpStatus.TOO_MANY_REQUESTS,
        'TOO_MANY_FAILED_AUTHENTICATIONS',
        error.message,
      );
    }
    if (error instanceof AuthenticationError) {
      response.setHeader(
        'WWW-Authenticate',
        error.credential === 'none' ? REALM : `${REALM}, error="invalid_token"`,
      );
      return new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', error.reason);
    }
    if (error instanceof AuthenticationUnavailableError) {
      response.setHeader('Retry-After', '30');
      return new ApiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'AUTHENTICATION_UNAVAILABLE',
        error.message,
      );
    }
    return error;
  }
}
