import { wholeNumberFromEnv } from '@threadline/core';

/** How callers are authenticated, from the environment only (see apps/gateway/README.md). */
export interface AuthSettings {
  /** HS256 shared secret (AUTH_JWT_SECRET), at least 32 bytes. Never logged. */
  readonly jwtSecret?: string;
  /** RS256/ES256 keys (AUTH_JWKS_URL). */
  readonly jwksUrl?: URL;
  /** The `iss` every token must carry (AUTH_ISSUER, default `threadline`). */
  readonly issuer: string;
  /** The `aud` every token must include (AUTH_AUDIENCE, default `threadline-api`). */
  readonly audience: string;
  /** The claim holding the roles, an array or one string (AUTH_ROLES_CLAIM, default `roles`). */
  readonly rolesClaim: string;
  /** Allowed clock skew for exp/nbf/iat (AUTH_CLOCK_TOLERANCE_S, default 30). */
  readonly clockToleranceSeconds: number;
  /** Whether /metrics needs a token or key too (METRICS_REQUIRE_AUTH, default false). */
  readonly metricsRequireAuth: boolean;
  /** Failed authentications a client may make per window before 429 (AUTH_FAILURE_LIMIT, 10). */
  readonly failureLimit: number;
  /** The window of that limit (AUTH_FAILURE_WINDOW_S, default 60). */
  readonly failureWindowSeconds: number;
}

export const MIN_SECRET_BYTES = 32;

/** Reads the settings; a bad value throws naming the variable, never showing a secret. */
export function authSettings(env: NodeJS.ProcessEnv): AuthSettings {
  const secret = env.AUTH_JWT_SECRET;
  if (secret !== undefined && secret !== '' && Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new Error(
      `AUTH_JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes (HS256), got ${Buffer.byteLength(secret)}`,
    );
  }
  const jwks = env.AUTH_JWKS_URL?.trim();
  let jwksUrl: URL | undefined;
  if (jwks) {
    try {
      jwksUrl = new URL(jwks);
    } catch {
      throw new Error('AUTH_JWKS_URL must be an http(s) URL');
    }
    if (jwksUrl.protocol !== 'https:' && jwksUrl.protocol !== 'http:') {
      throw new Error('AUTH_JWKS_URL must be an http(s) URL');
    }
  }
  const rolesClaim = text(env, 'AUTH_ROLES_CLAIM', 'roles');
  return {
    ...(secret ? { jwtSecret: secret } : {}),
    ...(jwksUrl ? { jwksUrl } : {}),
    issuer: text(env, 'AUTH_ISSUER', 'threadline'),
    audience: text(env, 'AUTH_AUDIENCE', 'threadline-api'),
    rolesClaim,
    clockToleranceSeconds: wholeNumberFromEnv(env, 'AUTH_CLOCK_TOLERANCE_S', 30, 0, 300),
    metricsRequireAuth: flag(env, 'METRICS_REQUIRE_AUTH', false),
    failureLimit: wholeNumberFromEnv(env, 'AUTH_FAILURE_LIMIT', 10, 1, 100_000),
    failureWindowSeconds: wholeNumberFromEnv(env, 'AUTH_FAILURE_WINDOW_S', 60, 1, 86_400),
  };
}

/** The settings as they may be logged: which methods are on, never a secret. */
export function describeAuth(settings: AuthSettings): Record<string, unknown> {
  return {
    bearer:
      [settings.jwtSecret ? 'HS256' : undefined, settings.jwksUrl ? 'JWKS' : undefined]
        .filter(Boolean)
        .join('+') || 'off',
    issuer: settings.issuer,
    audience: settings.audience,
    metricsRequireAuth: settings.metricsRequireAuth,
  };
}

function text(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim();
  if (!value) return fallback;
  if (value.length > 200) throw new Error(`${name} must be at most 200 characters`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (!value) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(`${name} must be true or false, got '${env[name]}'`);
}
