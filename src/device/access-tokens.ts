import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock.js';
import { BridgeError, sentence } from '../errors.js';
import type { BridgeIssuer } from '../issuer/index.js';
import { signJwt } from '../issuer/jws.js';
import { API_AUDIENCE, CLI_CLIENT_ID } from '../wire/oauth.js';
import type { CliSession } from './cli-sessions.js';

export { API_AUDIENCE };
/** RFC 9068 §2.1: the `typ` that tells an access token from an ID token signed by the same key. */
const ACCESS_TOKEN_TYPE = 'at+jwt';
/**
 * How many verified tokens are remembered. A CLI reuses its token for every call until it expires
 * (CI fleets call in bursts), and an RSA verification costs more than the rest of an /api/ request.
 * Bounded, oldest forgotten first: a forgotten token is simply verified again.
 */
const VERIFIED_TOKENS_KEPT = 5000;

/**
 * Short-lived JWT access tokens for the bearer API (RFC 9068 profile), signed with the bridge's
 * OIDC issuer key. A token names its CLI session (`sid`); the API also checks that the session is
 * still live, so revoking a session stops its access tokens at once, not at `exp`.
 */
export class AccessTokens {
  private readonly keys: JWTVerifyGetKey;
  private readonly algorithms: string[];
  /** Tokens whose signature and claims were checked: token → (sid, exp). Checked again: `exp`. */
  private readonly verified = new Map<string, { sid: string; exp: number }>();

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
    const token = await signJwt(
      key,
      { typ: ACCESS_TOKEN_TYPE },
      {
        client_id: session.client.clientId,
        sid: session.sid,
        iss: issuer.oidcIssuer,
        aud: API_AUDIENCE,
        // The same pseudonym RAM sees: the token carries no email or name of its own.
        sub: issuer.names.pseudonym(session.identity),
        iat,
        exp,
        jti: randomBytes(16).toString('base64url'),
      },
    );
    return { token, expiresIn: exp - iat };
  }

  /** The session id of a valid token, or ERR_TOKEN_INVALID. Whether the session is live is the caller's check. */
  async verify(token: string): Promise<string> {
    // The same bytes verify the same way with the same keys; only time changes the answer (exp,
    // compared as jose compares it). Whether the session is live is still checked on every call.
    const known = this.verified.get(token);
    if (known && known.exp > Math.floor(this.deps.clock.now() / 1000)) return known.sid;
    if (known) this.verified.delete(token);
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
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { sid: claims.sid, exp: claims.exp! });
    return claims.sid;
  }
}

export function tokenInvalid(detail: Record<string, unknown>, cause?: unknown): BridgeError {
  return new BridgeError('ERR_TOKEN_INVALID', {
    userMessage: sentence('err.ERR_TOKEN_INVALID'),
    hint: sentence('hint.runLoginAgainRefresh'),
    detail,
    cause,
  });
}
