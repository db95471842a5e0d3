import type { KeySet } from '../keys.js';

/**
 * The bridge's OpenID Provider metadata, as RAM (and any verifier) reads it: issuer and JWKS. Other
 * parts (the device flow) add their endpoints through `extra`.
 */
export function discoveryDocument(issuer: string, keys: KeySet, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/jwks.json`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: [...new Set(keys.published.map((k) => k.alg))],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'email', 'name', 'groups', 'amr', 'role_arn'],
    ...extra,
  };
}

/** Every published key (a verifier must accept tokens signed just before a rotation). */
export function jwks(keys: KeySet): { keys: unknown[] } {
  return { keys: keys.published.map((k) => k.publicJwk) };
}
