import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock.js';
import { BridgeError } from '../errors.js';
import type { BridgeIssuer } from '../issuer/index.js';
import { CLI_CLIENT_ID } from '../wire/oauth.js';
import type { CliSession } from './cli-sessions.js';

/** `aud` of CLI access tokens: our own API, never STS (ASVS 9.2.4: one key, distinct audiences). */
export const API_AUDIENCE = 'rambridge-api';
/** RFC 9068 §2.1: the `typ` that tells an access token from an ID token signed by the same key. */
const ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * Short-lived JWT access tokens for the bearer API (RFC 9068 profile), signed with the bridge's
 * OIDC issuer key. A token names its CLI session (`sid`); the API also checks that the session is
 * still live, so revoking a session stops its access tokens at once, not at `exp`.
 */
export class AccessTokens {
  private readonly keys: JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly deps: { issuer: BridgeIssuer; clock: Clock; ttlSeconds: number }) {
    const published = deps.issuer.oidcKeys.published;
    this.keys = createLocalJWKSet({ keys: published.map((k) => k.publicJwk) });
    this.algorithms = [...new Set(published.map((k) => k.alg))];
  }

  /** A token for `session`, never outliving it. */
  async mint(session: CliSession): Promise<{ token: string; expiresIn: number }> {
    const { issuer, clock, ttlSeconds } = this.deps;
    const key = issuer.oidcKeys.signing;
    const iat = Math.floor(clock.now() / 1000);
    const exp = Math.min(iat + ttlSeconds, Math.floor(session.expiresAt / 1000));
    const token = await new SignJWT({ client_id: session.client.clientId, sid: session.sid })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(issuer.oidcIssuer)
      .setAudience(API_AUDIENCE)
      // The same pseudonym RAM sees: the token carries no email or name of its own.
      .setSubject(issuer.names.pseudonym(session.identity))
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(key.privateKey);
    return { token, expiresIn: exp - iat };
  }

  /** The session id of a valid token, or ERR_TOKEN_INVALID. Whether the session is live is the caller's check. */
  async verify(token: string): Promise<string> {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.keys, {
        issuer: this.deps.issuer.oidcIssuer,
        audience: API_AUDIENCE,
        typ: ACCESS_TOKEN_TYPE,
        algorithms: this.algorithms,
        currentDate: new Date(this.deps.clock.now()),
        requiredClaims: ['sub', 'exp', 'iat', 'jti', 'sid'],
      }));
    } catch (err) {
      throw tokenInvalid({ reason: (err as { code?: string }).code }, err);
    }
    if (typeof claims.sid !== 'string' || claims.client_id !== CLI_CLIENT_ID) throw tokenInvalid({ reason: 'claims' });
    return claims.sid;
  }
}

export function tokenInvalid(detail: Record<string, unknown>, cause?: unknown): BridgeError {
  return new BridgeError('ERR_TOKEN_INVALID', {
    userMessage: 'The access token is invalid, expired or revoked.',
    hint: 'Run `rambridge login` again if refreshing does not help.',
    detail,
    cause,
  });
}
