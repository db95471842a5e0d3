import { randomBytes } from 'node:crypto';
import { signJwt } from '../jws.js';
import type { SigningKey } from '../keys.js';

export interface IdTokenInput {
  issuer: string;
  audience: string;
  /** Stable pseudonymous user id. */
  subject: string;
  lifetimeSeconds: number;
  now: number;
  key: SigningKey;
  /** Extra claims that make the token explainable in STS's OIDCTokenInfo and in audits. */
  claims: Record<string, unknown>;
}

/**
 * Mints the ID token the bridge hands to AssumeRoleWithOIDC. Short-lived, single purpose (`aud` is
 * the client id registered in RAM, never our API's audience), with a `jti` for audits.
 */
export function mintIdToken(input: IdTokenInput): Promise<string> {
  const iat = Math.floor(input.now / 1000);
  return signJwt(
    input.key,
    { typ: 'JWT' },
    {
      ...input.claims,
      iss: input.issuer,
      aud: input.audience,
      sub: input.subject,
      iat,
      nbf: iat,
      exp: iat + input.lifetimeSeconds,
      jti: randomBytes(16).toString('base64url'),
    },
  );
}
