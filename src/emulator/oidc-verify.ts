import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { OidcProviderEntry } from './directory.js';
import * as errors from './errors.js';
import type { RemoteDocuments } from './remote-documents.js';

/**
 * Verifying an OIDC token for AssumeRoleWithOIDC (docs/alibaba-cloud-reference.md §2 "Token requirements"), with the
 * documented error for each failure: structure, `alg` (RS256 and ES256 only: the full accepted
 * list is unconfirmed, and HS* is documented as refused), `iss` = the provider's issuer,
 * signature by a key from the issuer's discovery → JWKS, `aud` ∈ client ids, `exp`, and `iat`
 * no older than the provider's issuance limit. No clock skew is granted.
 */

const ALGORITHMS = ['RS256', 'ES256'];

export interface OidcFacts {
  issuer: string;
  subject: string;
  audiences: string[];
  issuedAt: number;
  expiresAt: number;
}

/** The verified claims of `token` for this provider; throws the documented OIDC errors. */
export async function verifyOidcToken(
  token: string,
  provider: OidcProviderEntry,
  documents: RemoteDocuments,
  now: number,
): Promise<OidcFacts> {
  const parts = token.split('.');
  if (parts.length !== 3) throw errors.oidcInvalid("The number of Jwt field should be divided into 3 parts with '.'");
  const [header, claims] = [decodeSegment(parts[0]!), decodeSegment(parts[1]!)];
  const alg = typeof header.alg === 'string' ? header.alg : 'none';
  if (!ALGORITHMS.includes(alg)) throw errors.oidcInvalid(`The algorithm ${alg} that be specified in Jwt header is unknown.`);
  if (claims.iss !== provider.issuer) throw errors.oidcIssuerNotMatch(`iss ${String(claims.iss)}`);

  await verifySignature(token, provider.issuer, documents);

  const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  if (!audiences.every((a): a is string => typeof a === 'string') || typeof claims.sub !== 'string') {
    throw errors.oidcInvalid('The Jwt content is invalid that cannot be recognized.', 'aud or sub is not a string');
  }
  if (!audiences.some((a) => provider.clientIds.includes(a))) throw errors.oidcAudienceNotMatch(`aud ${audiences.join(',')}`);
  const exp = numericDate(claims.exp, 'exp');
  const iat = numericDate(claims.iat, 'iat');
  if (exp <= now) throw errors.oidcExpired('exp has passed');
  if (iat > now || (typeof claims.nbf === 'number' && claims.nbf * 1000 > now)) {
    throw errors.oidcInvalid('The Jwt content is invalid that cannot be recognized.', 'iat or nbf is in the future');
  }
  if (now - iat > provider.issuanceLimitHours * 3600_000) {
    throw errors.oidcExpired(`issued more than ${provider.issuanceLimitHours} h ago`);
  }
  return { issuer: provider.issuer, subject: claims.sub, audiences, issuedAt: iat, expiresAt: exp };
}

async function verifySignature(token: string, issuer: string, documents: RemoteDocuments): Promise<void> {
  for (const fresh of [false, true]) {
    const keys = await issuerKeys(issuer, documents, fresh);
    try {
      await compactVerify(token, createLocalJWKSet(keys), { algorithms: ALGORITHMS });
      return;
    } catch (err) {
      // A key we have not seen may be a rotation: fetch the JWKS once more, then give up.
      if ((err as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY' && !fresh) continue;
      throw errors.oidcInvalidSignature((err as Error).message);
    }
  }
}

/** Discovery (`{issuer}/.well-known/openid-configuration`) → `jwks_uri` → the JWKS. */
async function issuerKeys(issuer: string, documents: RemoteDocuments, fresh: boolean): Promise<JSONWebKeySet> {
  try {
    const discovery = await documents.json(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { fresh });
    if (discovery.issuer !== issuer) throw new Error(`discovery names issuer ${String(discovery.issuer)}`);
    if (typeof discovery.jwks_uri !== 'string') throw new Error('discovery has no jwks_uri');
    const jwks = await documents.json(discovery.jwks_uri, { fresh });
    if (!Array.isArray(jwks.keys)) throw new Error('JWKS has no keys');
    return jwks as unknown as JSONWebKeySet;
  } catch (err) {
    throw errors.oidcIssuerConfigurationBroken(issuer, (err as Error).message);
  }
}

function decodeSegment(segment: string): Record<string, unknown> {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(segment)) throw new Error('not base64url');
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch {
    throw errors.oidcInvalid('Cannot decode base64 encoded response(format invalided).');
  }
}

function numericDate(value: unknown, claim: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw errors.oidcInvalid('The Jwt content is invalid that cannot be recognized.', `${claim} is missing`);
  }
  return value * 1000;
}
