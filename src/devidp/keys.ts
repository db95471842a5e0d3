import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** Secrets a development IdP instance lives with; none survives a restart. */
export interface DevIdpKeys {
  /** The RS256 private JWK that signs ID tokens, with `kid`, `alg` and `use` set. */
  signingKey: JWK;
  /** Keys for oidc-provider's signed session and interaction cookies. */
  cookieKeys: string[];
}

/**
 * Fresh keys per start: a restart invalidates every issued token and session, which is what a
 * throw-away development IdP should do, and no key material is ever written to disk or the repo.
 */
export async function generateDevIdpKeys(): Promise<DevIdpKeys> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    signingKey: { ...jwk, kid, alg: 'RS256', use: 'sig' },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}
