import type { ApiKeyStore } from './api-keys';
import type { AuthSettings } from './auth-settings';
import { AuthenticationError } from './errors';
import { FailureLimiter } from './failure-limiter';
import type { JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';
import type { SecurityEvents } from './security-events';

export const API_KEY_HEADER = 'X-API-Key';

/** A client over its failed-authentication limit (429 with Retry-After). */
export class TooManyFailuresError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed authentications; retry after ${retryAfterSeconds} s`);
    this.name = 'TooManyFailuresError';
  }
}

/** What the authenticator needs of a request. */
export interface Credentials {
  readonly authorization?: string | string[];
  readonly apiKey?: string | string[];
  /** The client's address, the key of the failure limit. */
  readonly client: string;
  readonly method: string;
  readonly path: string;
}

/**
 * One credential per request: `Authorization: Bearer <JWT>` for people, `X-API-Key: <key>` for
 * machines. Failures are counted per client and reported (never with the credential); a client
 * over the limit is refused before anything is checked.
 */
export class Authenticator {
  readonly limiter: FailureLimiter;

  constructor(
    private readonly jwt: JwtVerifier,
    private readonly keys: ApiKeyStore,
    settings: AuthSettings,
    private readonly events: SecurityEvents,
  ) {
    this.limiter = new FailureLimiter(settings.failureLimit, settings.failureWindowSeconds * 1000);
  }

  async authenticate(credentials: Credentials): Promise<Principal> {
    const waiting = this.limiter.retryAfterSeconds(credentials.client);
    if (waiting > 0) throw new TooManyFailuresError(waiting);
    try {
      return await this.check(credentials);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      this.events.emit({
        kind: 'authentication-failed',
        at: new Date(),
        client: credentials.client,
        method: credentials.method,
        path: credentials.path.slice(0, 300),
        credential: error.credential,
        reason: error.reason,
      });
      const retryAfter = this.limiter.fail(credentials.client);
      if (retryAfter > 0) throw new TooManyFailuresError(retryAfter);
      throw error;
    }
  }

  private async check(credentials: Credentials): Promise<Principal> {
    const authorization = single(credentials.authorization, 'Authorization', 'bearer');
    const apiKey = single(credentials.apiKey, API_KEY_HEADER, 'api-key');
    if (authorization !== undefined && apiKey !== undefined) {
      throw new AuthenticationError(
        `give one credential: Authorization or ${API_KEY_HEADER}, not both`,
        'bearer',
      );
    }
    if (apiKey !== undefined) return this.keys.verify(apiKey.trim());
    if (authorization === undefined) {
      throw new AuthenticationError(
        `a credential is required: Authorization: Bearer <token> or ${API_KEY_HEADER}`,
        'none',
      );
    }
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
    if (!match) throw new AuthenticationError('Authorization: must be Bearer <token>', 'bearer');
    return this.jwt.verify(match[1]);
  }
}

function single(
  value: string | string[] | undefined,
  name: string,
  credential: 'bearer' | 'api-key',
): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length !== 1)
      throw new AuthenticationError(`${name}: must be given once`, credential);
    return value[0];
  }
  return value;
}
