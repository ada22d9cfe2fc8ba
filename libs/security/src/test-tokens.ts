import { SignJWT } from 'jose';

/**
 * Signs an HS256 token: for tests, and for the embedded all-in-one, which signs its own demo
 * tokens with the secret it made. `expiresIn` in seconds (negative: already expired).
 */
export async function signTestToken(input: {
  secret: string;
  sub: string;
  roles: readonly string[];
  issuer?: string;
  audience?: string;
  expiresInSeconds?: number;
  name?: string;
}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ roles: [...input.roles], ...(input.name ? { name: input.name } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.sub)
    .setIssuer(input.issuer ?? 'threadline')
    .setAudience(input.audience ?? 'threadline-api')
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (input.expiresInSeconds ?? 3600));
  return jwt.sign(new TextEncoder().encode(input.secret));
}
