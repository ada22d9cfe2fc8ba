import type { Role } from './roles';

/** Who is calling, as established by a bearer token or an API key. */
export interface Principal {
  /** The token's `sub`, or `apikey:{id}` for an API key: an Id (1-64 of A-Z a-z 0-9 . _ : / -). */
  readonly id: string;
  /** A person (bearer token) or a machine (API key). */
  readonly kind: 'user' | 'machine';
  readonly name?: string;
  readonly roles: readonly Role[];
  readonly via: 'bearer' | 'api-key';
}

const PRINCIPAL = Symbol.for('threadline.principal');

/** Attaches the principal to a request (the gateway's guard does). */
export function setPrincipal(request: object, principal: Principal): void {
  (request as Record<symbol, unknown>)[PRINCIPAL] = principal;
}

/** The authenticated principal of a request; undefined on a public route. */
export function principalOf(request: object): Principal | undefined {
  return (request as Record<symbol, unknown>)[PRINCIPAL] as Principal | undefined;
}

/** The contract's Actor for a principal: a user for a person, a system for a machine. */
export function actorOf(principal: Principal): {
  id: string;
  kind: 'user' | 'system';
  name?: string;
} {
  return {
    id: principal.id,
    kind: principal.kind === 'user' ? 'user' : 'system',
    ...(principal.name ? { name: principal.name } : {}),
  };
}
