import * as client from 'openid-client';
import type { OidcIdp } from '../../config/index.js';
import { BridgeError, sentence } from '../../errors.js';
import type {
  ConnectorData,
  ConnectorDeps,
  FlowSecrets,
  IdpAnswer,
  LoginOptions,
  LoginResult,
  LoginStart,
  RedirectConnector,
} from '../connector.js';
import type { Identity } from '../identity.js';
import { checkReauthentication, reauthenticationSecrets } from '../reauthentication.js';
import { DEFAULTS } from '../../config/defaults.js';
import { Reloading } from '../reloading.js';
import { identityFromClaims } from './claims.js';
import { discoveryError, grantError, oidcFailure } from './errors.js';
import { refuseFutureTimes } from './token-times.js';

/**
 * How long a CLI refresh waits for the IdP's token endpoint. Short: the CLI is waiting, and an IdP
 * that does not answer only means the groups stay as they were (see `refresh`).
 */
const REFRESH_TIMEOUT_SECONDS = 5;

/**
 * OpenID Connect relying party on openid-client v6: authorization code + PKCE (S256) + state +
 * nonce, always all three (docs/security-reference.md §3.2: a server that ignores PKCE cannot be detected).
 * With `refreshGroups`, also the refresh_token grant, to re-read the user for CLI refreshes.
 */
export class OidcConnector implements RedirectConnector {
  readonly type = 'oidc' as const;
  readonly id: string;
  readonly displayName: string;
  private readonly discovery: Reloading<client.Configuration>;
  private refreshConfiguration: { from: client.Configuration; config: client.Configuration } | undefined;
  /** Errors of refreshes whose request never reached the IdP's token endpoint (see `refreshConfig`). */
  private readonly tokenEndpointUnreached = new WeakSet<object>();

  constructor(
    private readonly idp: OidcIdp,
    private readonly options: ConnectorDeps,
  ) {
    this.id = idp.id;
    this.displayName = idp.displayName;
    // Keeping a discovered configuration while the IdP fails to answer would only send users to
    // a dead IdP: while discovery fails, sign-ins get the coded failure naming this IdP instead.
    this.discovery = new Reloading(() => this.fetchDiscovery(), options.clock, {
      refreshMs: idp.discoveryRefreshSeconds * 1000,
      minRetryMs: DEFAULTS.idp.loadRetryMinSeconds * 1000,
      maxRetryMs: DEFAULTS.idp.loadRetryMaxSeconds * 1000,
      keepLastGood: false,
    });
  }

  /** Discovery again when due: readiness follows the IdP's state, not the first answer. */
  async ready(): Promise<void> {
    await this.discovery.check();
  }

  async reload(): Promise<void> {
    await this.discovery.reload();
  }

  async startLogin(options: LoginOptions = {}): Promise<LoginStart> {
    const config = await this.discover();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.idp.redirectUri,
      scope: this.scopes().join(' '),
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(options.reauthenticate ? { prompt: 'login', max_age: '0' } : {}),
    });
    const secrets: FlowSecrets = { state, nonce, codeVerifier };
    if (options.reauthenticate) Object.assign(secrets, { maxAge: '0' }, reauthenticationSecrets(this.options.clock.now()));
    return { redirectTo: url.href, secrets };
  }

  answersAnotherRequest(callbackUrl: URL, secrets: FlowSecrets): boolean {
    return callbackUrl.searchParams.getAll('state').join() !== secrets.state;
  }

  async finishLogin(answer: IdpAnswer, secrets: FlowSecrets): Promise<LoginResult> {
    if (answer.kind !== 'redirect') throw new BridgeError('ERR_BAD_REQUEST', { detail: { reason: 'OIDC answers arrive as redirects' } });
    // The exchange names the redirect URI the authorization request named (RFC 6749 §4.1.3):
    // openid-client takes it from this URL, so only the answer's parameters come from the request.
    const callbackUrl = new URL(this.idp.redirectUri);
    callbackUrl.search = answer.url.search;
    // openid-client checks state too; checking it first gives the refusal its own code. Error
    // answers carry the state as well (RFC 6749 §4.1.2.1): one without it is not the IdP's answer to
    // this sign-in, and must not show the user a made-up "your identity provider refused you".
    if (callbackUrl.searchParams.getAll('state').join() !== secrets.state) {
      throw new BridgeError('ERR_AUTH_STATE_MISMATCH', { detail: { reason: 'state differs from the one sent' } });
    }
    const idpError = callbackUrl.searchParams.get('error');
    if (idpError !== null) {
      throw new BridgeError('ERR_AUTH_IDP_ERROR', {
        userMessage: sentence('err.ERR_AUTH_IDP_ERROR'),
        hint: idpError === 'access_denied' ? sentence('hint.notAssigned') : undefined,
        detail: { error: idpError, error_description: callbackUrl.searchParams.get('error_description') },
      });
    }
    const config = await this.discover();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: secrets.codeVerifier,
        expectedState: secrets.state,
        expectedNonce: secrets.nonce,
        idTokenExpected: true,
        // With max_age, openid-client requires auth_time and checks it is that recent.
        ...(secrets.maxAge !== undefined ? { maxAge: Number(secrets.maxAge) } : {}),
      });
    } catch (err) {
      throw grantError(err, this.idp);
    }
    const claims = tokens.claims();
    if (!claims) throw new BridgeError('ERR_AUTH_TOKEN_INVALID', { detail: { reason: 'no id_token' } });
    refuseFutureTimes(claims, this.options.clock.now(), this.idp.clockToleranceSeconds);
    const identity = identityFromClaims(this.idp, claims);
    checkReauthentication(identity, secrets, this.idp.clockToleranceSeconds);
    const connectorData: ConnectorData = {};
    if (this.options.keepIdToken && tokens.id_token) connectorData.idToken = tokens.id_token;
    if (this.idp.refreshGroups && tokens.refresh_token) connectorData.refreshToken = tokens.refresh_token;
    // Nothing kept, nothing stored: the session then holds the identity alone.
    return { identity, connectorData: Object.keys(connectorData).length > 0 ? connectorData : undefined };
  }

  /**
   * The refresh_token grant at the IdP (OIDC Core §12): the new ID token must name the same user
   * (§12.2), and its claims replace groups, email, name and amr. Refusals that concern the user
   * (see `refusesTheUser`, another subject, claims a sign-in would refuse now) become
   * ERR_UPSTREAM_REFRESH_DENIED; anything else (IdP down, slow, misconfigured) keeps its own code.
   */
  async refresh(identity: Identity, data: ConnectorData): Promise<LoginResult> {
    const { refreshToken } = data;
    if (!refreshToken) throw new BridgeError('ERR_INTERNAL', { detail: { reason: 'no upstream refresh token' } });
    const config = await this.refreshConfig().catch((err: unknown) => {
      throw unspent(err);
    });
    let tokens: Awaited<ReturnType<typeof client.refreshTokenGrant>> | undefined;
    let claims: Record<string, unknown>;
    try {
      tokens = await client.refreshTokenGrant(config, refreshToken);
      // Most IdPs send a new ID token when `openid` was granted; the others answer on userinfo,
      // which openid-client only accepts for the expected subject.
      const idTokenClaims = tokens.claims();
      // A refreshed ID token is held to the times of a sign-in one; refusing it keeps the identity as it was.
      if (idTokenClaims) refuseFutureTimes(idTokenClaims, this.options.clock.now(), this.idp.clockToleranceSeconds);
      claims = idTokenClaims ?? { ...(await client.fetchUserInfo(config, tokens.access_token, identity.subject)), iss: identity.issuer };
    } catch (err) {
      if (err instanceof BridgeError) throw err;
      if (refusesTheUser(err)) throw refreshDenied(this.idp.id, oidcFailure(err));
      // An error answer from the token endpoint, or a request that never reached it: the token was not spent.
      const notSpent = !tokens && (this.tokenEndpointUnreached.has(err as object) || (await isErrorAnswer(err)));
      throw notSpent ? unspent(grantError(err, this.idp)) : grantError(err, this.idp);
    }
    if (claims.sub !== identity.subject || claims.iss !== identity.issuer) {
      throw refreshDenied(this.idp.id, { reason: 'refreshed token names another user', sub: claims.sub, iss: claims.iss });
    }
    let fresh: Identity;
    try {
      fresh = identityFromClaims(this.idp, claims);
    } catch (err) {
      // Groups overage or a tenant no longer allowed: a sign-in now would be refused, so is this.
      throw refreshDenied(this.idp.id, { reason: 'refreshed claims refused', refusal: (err as BridgeError).code }, err);
    }
    // Roles passing the IdP's ID token to STS get the fresh one: the old one expires soon.
    const idToken = (this.options.keepIdToken && tokens.id_token) || data.idToken;
    return {
      identity: {
        ...fresh,
        // A refresh is no new authentication: what the IdP leaves out, the original sign-in still
        // says, and the sign-in time never moves (elevation counts MFA recency from it).
        amr: fresh.amr.length > 0 ? fresh.amr : identity.amr,
        authTime: identity.authTime ?? fresh.authTime,
      },
      connectorData: {
        ...(idToken ? { idToken } : {}),
        // IdPs that rotate refresh tokens (Okta, Auth0, Keycloak with rotation) kill the old one now.
        refreshToken: tokens.refresh_token ?? refreshToken,
      },
    };
  }

  /**
   * RP-Initiated Logout 1.0, when the IdP's discovery document has an `end_session_endpoint`. The
   * client is named by `client_id`, not `id_token_hint`: an ID token does not belong in a URL,
   * where browser history and the IdP's access log keep it.
   */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<string | undefined> {
    const config = await this.discover();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(config, { client_id: this.idp.clientId, post_logout_redirect_uri: postLogoutRedirectUri }).href;
  }

  /** `offline_access` (OIDC Core §11) asks for the refresh token `refreshGroups` needs. */
  private scopes(): string[] {
    const scopes = [...this.idp.scopes];
    if (this.idp.refreshGroups && !scopes.includes('offline_access')) scopes.push('offline_access');
    return scopes;
  }

  /**
   * The discovered configuration with a shorter timeout for refreshes. A copy: openid-client's
   * timeout is per configuration, and sign-ins keep the longer one.
   */
  private async refreshConfig(): Promise<client.Configuration> {
    const discovered = await this.discover();
    if (this.refreshConfiguration?.from === discovered) return this.refreshConfiguration.config;
    const config = new client.Configuration(discovered.serverMetadata(), this.idp.clientId, this.clientMetadata(), this.clientAuth());
    for (const option of this.executeOptions()) option(config);
    config.timeout = REFRESH_TIMEOUT_SECONDS;
    // Failures to connect to the token endpoint, told apart from a timeout or a dropped
    // connection, after which the IdP may have spent (and rotated) the token.
    const tokenEndpoint = discovered.serverMetadata().token_endpoint;
    config[client.customFetch] = (url, options) =>
      fetch(url, options as RequestInit).catch((err: unknown) => {
        if (url === tokenEndpoint && neverConnected(err)) this.tokenEndpointUnreached.add(err as object);
        throw err;
      });
    this.refreshConfiguration = { from: discovered, config };
    return config;
  }

  /** The discovered configuration: fetched again every `discoveryRefreshSeconds`, retried with backoff after a failure. */
  private discover(): Promise<client.Configuration> {
    return this.discovery.get();
  }

  private fetchDiscovery(): Promise<client.Configuration> {
    return client
      .discovery(new URL(this.idp.issuer), this.idp.clientId, this.clientMetadata(), this.clientAuth(), {
        timeout: 10,
        execute: this.executeOptions(),
      })
      .catch((err: unknown) => {
        throw discoveryError(err, this.idp);
      });
  }

  private clientMetadata(): Partial<client.ClientMetadata> {
    return {
      // Pinned: never let the IdP's metadata talk us into `none` or HS256 (docs/security-reference.md §3.2).
      id_token_signed_response_alg: this.idp.idTokenSigningAlg,
      [client.clockTolerance]: this.idp.clockToleranceSeconds,
      ...(this.idp.clientSecret ? { client_secret: this.idp.clientSecret } : {}),
    };
  }

  private clientAuth(): client.ClientAuth {
    return this.idp.clientSecret ? client.ClientSecretBasic(this.idp.clientSecret) : client.None();
  }

  private executeOptions(): Array<(config: client.Configuration) => void> {
    return [
      ...(this.idp.insecureAllowHttp ? [client.allowInsecureRequests] : []),
      // Verify the ID token signature against the IdP's JWKS too, not only TLS to /token.
      client.enableNonRepudiationChecks,
    ];
  }
}

/** Connecting failed: the request was never sent (a refused connection, an unknown host, no route). */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function neverConnected(err: unknown): boolean {
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && CONNECT_FAILURES.has(code);
}

/**
 * The OAuth errors a 5xx answer may carry that say the IdP itself did not act on the grant. Any
 * other body on a 5xx may be a gateway's that gave up waiting (Spring Cloud Gateway answers a timeout
 * with `{"error":"Gateway Timeout"}`) while the IdP went on and rotated the token.
 */
const NOT_ACTED_ON = new Set(['temporarily_unavailable', 'server_error']);

/**
 * An OAuth error answer from the token endpoint (openid-client parses only 4xx ones;
 * `temporarily_unavailable` often comes with a 503): the IdP refused the grant.
 */
async function isErrorAnswer(err: unknown): Promise<boolean> {
  if (err instanceof client.ResponseBodyError || err instanceof client.WWWAuthenticateChallengeError) return true;
  const { code, cause } = (err ?? {}) as { code?: unknown; cause?: { json?: unknown; bodyUsed?: unknown } };
  if (code !== 'OAUTH_RESPONSE_IS_NOT_CONFORM' || typeof cause?.json !== 'function' || cause.bodyUsed) return false;
  const body: unknown = await (cause as Response).json().catch(() => undefined);
  const error = (body as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' && NOT_ACTED_ON.has(error);
}

/** Marks a refresh failure that certainly left the IdP refresh token unspent (`refreshTokenUnspent`). */
function unspent(err: unknown): unknown {
  // The connector's own errors all carry a detail (discoveryError, grantError).
  if (err instanceof BridgeError && err.detail) err.detail.refreshTokenUnspent = true;
  return err;
}

function refreshDenied(idp: string, detail: Record<string, unknown>, cause?: unknown): BridgeError {
  return new BridgeError('ERR_UPSTREAM_REFRESH_DENIED', {
    userMessage: sentence('err.ERR_UPSTREAM_REFRESH_DENIED'),
    hint: sentence('hint.refreshDenied'),
    detail: { idp, ...detail },
    cause,
  });
}

/**
 * Token-endpoint errors that are not about the user: this client's configuration (RFC 6749 §5.2,
 * RFC 6750 §3.1) — ending every user's session for an administrator's mistake would not make
 * anyone safer — and the IdP asking to be tried again (`temporarily_unavailable`, `server_error`,
 * which Entra and others send with a 400): kept like an outage.
 */
const NOT_ABOUT_THE_USER = new Set([
  'invalid_client',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_request',
  'invalid_scope',
  'insufficient_scope',
  'temporarily_unavailable',
  'server_error',
  'slow_down',
]);

/**
 * A refresh the IdP refused for this user: `invalid_grant` (disabled, grant revoked), and every
 * other 4xx OAuth error but those in NOT_ABOUT_THE_USER and rate limiting — Entra answers
 * `interaction_required` when a Conditional Access policy now wants MFA or a new sign-in, others
 * `login_required`, `consent_required`, `access_denied`. Failing closed: a code not listed here
 * ends the session rather than keeping groups the IdP would not confirm.
 */
function refusesTheUser(err: unknown): boolean {
  if (!(err instanceof client.ResponseBodyError)) return false;
  if (err.error === 'invalid_grant') return true;
  return err.status >= 400 && err.status < 500 && err.status !== 429 && !NOT_ABOUT_THE_USER.has(err.error);
}
