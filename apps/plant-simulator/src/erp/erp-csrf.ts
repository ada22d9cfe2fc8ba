import { randomBytes } from 'node:crypto';
import { headerValue, HttpError, type RouteHandler, type SimRequest } from '../http/http-router';
import type { SimulatorStore } from '../state/simulator-store';

export const SESSION_COOKIE = 'SAP_SESSIONID_SIM';
const MODIFYING = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);

function sessionFrom(request: SimRequest): string | undefined {
  const cookies = headerValue(request, 'cookie') ?? '';
  for (const pair of cookies.split(';')) {
    const [name, ...rest] = pair.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}

/**
 * SAP Gateway CSRF protection: a GET with `x-csrf-token: Fetch` returns a token bound to a session
 * cookie; modifying requests must send both back, else 403 with `x-csrf-token: Required`.
 */
export function withCsrf(store: SimulatorStore, handler: RouteHandler): RouteHandler {
  return async (request) => {
    const sessions = store.state.erp.csrfSessions;
    const session = sessionFrom(request);
    if (MODIFYING.has(request.method)) {
      const token = headerValue(request, 'x-csrf-token');
      if (!session || !token || sessions[session] !== token) {
        throw new HttpError(403, 'CSRF_TOKEN_VALIDATION_FAILED', 'CSRF token validation failed', {
          'x-csrf-token': 'Required',
        });
      }
      return handler(request);
    }
    const response = await handler(request);
    if (headerValue(request, 'x-csrf-token')?.toLowerCase() !== 'fetch') return response;
    const activeSession = session && sessions[session] ? session : randomBytes(16).toString('hex');
    sessions[activeSession] ??= randomBytes(18).toString('base64');
    return {
      ...response,
      headers: {
        ...(response.headers ?? {}),
        'x-csrf-token': sessions[activeSession],
        'set-cookie': `${SESSION_COOKIE}=${activeSession}; path=/; HttpOnly`,
      },
    };
  };
}
