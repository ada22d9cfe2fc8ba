import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { AuthSettings } from './auth-settings';
import { AuthenticationError, AuthenticationUnavailableError, PRINCIPAL_ID } from './errors';
import type { Principal } from './principal';
import { isRole, type Role } from './roles';

const JWKS_ALGORITHMS = ['RS256', 'ES256'];
const MAX_TOKEN_LENGTH = 8192;

/**
 * Verifies bearer tokens (JWT): HS256 with AUTH_JWT_SECRET, RS256/ES256 with the keys at
 * AUTH_JWKS_URL (fetched and cached by jose, refreshed on an unknown key id). The signature,
 * `iss`, `aud`, `exp` (required) and `nbf` are checked; `sub` names the principal, the roles
 * claim its roles.
 */
export class JwtVerifier {
  private readonly secret?: Uint8Array;
  private readonly jwks?: JWTVerifyGetKey;

  constructor(
    private readonly settings: AuthSettings,
    jwks?: JWTVerifyGetKey,
  ) {
    if (settings.jwtSecret) this.secret = new TextEncoder().encode(settings.jwtSecret);
    this.jwks =
      jwks ??
      (settings.jwksUrl
        ? createRemoteJWKSet(settings.jwksUrl, { timeoutDuration: 5000, cooldownDuration: 30_000 })
        : undefined);
  }

  get enabled(): boolean {
    return this.secret !== undefined || this.jwks !== undefined;
  }

  async verify(token: string): Promise<Principal> {
    if (!this.enabled)
      throw new AuthenticationError(
        'bearer tokens are not accepted here (no AUTH_JWT_SECRET or AUTH_JWKS_URL)',
        'bearer',
      );
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new AuthenticationError(
        `token: must be at most ${MAX_TOKEN_LENGTH} characters`,
        'bearer',
      );
    }
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthenticationError('token: not a JWT', 'bearer');
    }
    const options = {
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      clockTolerance: this.settings.clockToleranceSeconds,
      requiredClaims: ['exp', 'sub'],
    };
    let payload: JWTPayload;
    try {
      if (alg === 'HS256' && this.secret) {
        payload = (await jwtVerify(token, this.secret, { ...options, algorithms: ['HS256'] }))
          .payload;
      } else if (alg !== undefined && JWKS_ALGORITHMS.includes(alg) && this.jwks) {
        payload = (await jwtVerify(token, this.jwks, { ...options, algorithms: JWKS_ALGORITHMS }))
          .payload;
      } else {
        const accepted = [this.secret ? 'HS256' : '', this.jwks ? JWKS_ALGORITHMS.join(', ') : '']
          .filter(Boolean)
          .join(', ');
        throw new AuthenticationError(`token: alg must be one of ${accepted}`, 'bearer');
      }
    } catch (error) {
      throw this.explain(error);
    }
    return principalFrom(payload, this.settings.rolesClaim);
  }

  private explain(error: unknown): Error {
    if (error instanceof AuthenticationError) return error;
    if (error instanceof errors.JWTExpired)
      return new AuthenticationError('token: expired', 'bearer');
    if (error instanceof errors.JWTClaimValidationFailed) {
      const rule =
        error.claim === 'iss'
          ? `iss must be '${this.settings.issuer}'`
          : error.claim === 'aud'
            ? `aud must include '${this.settings.audience}'`
            : `${error.claim}: ${error.reason === 'missing' ? 'is required' : 'check failed'}`;
      return new AuthenticationError(`token: ${rule}`, 'bearer');
    }
    if (error instanceof errors.JWKSTimeout) {
      return new AuthenticationUnavailableError(
        'the identity provider keys (AUTH_JWKS_URL) timed out',
      );
    }
    if (error instanceof errors.JWKSNoMatchingKey) {
      return new AuthenticationError('token: no key of AUTH_JWKS_URL matches its kid', 'bearer');
    }
    if (error instanceof errors.JOSEError) {
      if (error.code === 'ERR_JWKS_INVALID' || error.code === 'ERR_JOSE_GENERIC') {
        return new AuthenticationUnavailableError(
          'the identity provider keys (AUTH_JWKS_URL) cannot be read',
        );
      }
      return new AuthenticationError('token: signature or format invalid', 'bearer');
    }
    // fetch failures of the JWKS endpoint.
    return new AuthenticationUnavailableError(
      'the identity provider keys (AUTH_JWKS_URL) cannot be read',
    );
  }
}

/** The principal a verified token names. */
export function principalFrom(payload: JWTPayload, rolesClaim: string): Principal {
  const sub = payload.sub;
  if (typeof sub !== 'string' || !PRINCIPAL_ID.test(sub)) {
    throw new AuthenticationError(
      'token: sub must be an Id (1-64 of A-Z a-z 0-9 . _ : / - starting with a letter or digit)',
      'bearer',
    );
  }
  const claimed = payload[rolesClaim] ?? payload.role;
  const list = Array.isArray(claimed) ? claimed : typeof claimed === 'string' ? [claimed] : [];
  const roles = [...new Set(list.filter(isRole))] as Role[];
  const name = typeof payload.name === 'string' ? payload.name.trim().slice(0, 200) : '';
  return { id: sub, kind: 'user', roles, via: 'bearer', ...(name ? { name } : {}) };
}
