import * as client from 'openid-client';
import type { OidcIdp } from '../../config/index.js';
import { BridgeError } from '../../errors.js';
import type { Connector, FlowSecrets, IdpAnswer, LoginOptions, LoginStart } from '../connector.js';
import type { Identity } from '../identity.js';
import { identityFromClaims } from './claims.js';

/**
 * OpenID Connect relying party on openid-client v6: authorization code + PKCE (S256) + state +
 * nonce, always all three (security.md §3.2: a server that ignores PKCE cannot be detected).
 */
export class OidcConnector implements Connector {
  readonly type = 'oidc' as const;
  readonly id: string;
  readonly displayName: string;
  private configuration: Promise<client.Configuration> | undefined;

  /** `keepIdToken`: some role passes the IdP's own ID token through to STS. */
  constructor(
    private readonly idp: OidcIdp,
    private readonly options: { keepIdToken?: boolean } = {},
  ) {
    this.id = idp.id;
    this.displayName = idp.displayName;
  }

  async ready(): Promise<void> {
    await this.discover();
  }

  async startLogin(options: LoginOptions = {}): Promise<LoginStart> {
    const config = await this.discover();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.idp.redirectUri,
      scope: this.idp.scopes.join(' '),
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(options.reauthenticate ? { prompt: 'login', max_age: '0' } : {}),
    });
    const secrets: FlowSecrets = { state, nonce, codeVerifier };
    if (options.reauthenticate) secrets.maxAge = '0';
    return { redirectTo: url.href, secrets };
  }

  async finishLogin(answer: IdpAnswer, secrets: FlowSecrets): Promise<Identity> {
    if (answer.kind !== 'redirect') throw new BridgeError('ERR_BAD_REQUEST', { detail: { reason: 'OIDC answers arrive as redirects' } });
    const callbackUrl = answer.url;
    const idpError = callbackUrl.searchParams.get('error');
    if (idpError !== null) {
      throw new BridgeError('ERR_AUTH_IDP_ERROR', {
        userMessage: 'Your identity provider did not sign you in.',
        hint: idpError === 'access_denied' ? 'You may not be assigned to rambridge at your identity provider.' : undefined,
        detail: { error: idpError, error_description: callbackUrl.searchParams.get('error_description') },
      });
    }
    // openid-client checks state too; checking it first gives the refusal its own code.
    if (callbackUrl.searchParams.getAll('state').join() !== secrets.state) {
      throw new BridgeError('ERR_AUTH_STATE_MISMATCH', { detail: { reason: 'state differs from the one sent' } });
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
      throw classifyGrantError(err);
    }
    const claims = tokens.claims();
    if (!claims) throw new BridgeError('ERR_AUTH_TOKEN_INVALID', { detail: { reason: 'no id_token' } });
    const identity = identityFromClaims(this.idp, claims);
    if (this.options.keepIdToken && tokens.id_token) identity.upstreamIdToken = tokens.id_token;
    return identity;
  }

  /** Discovery once, cached; a failure is not cached so the next sign-in tries again. */
  private discover(): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(
        new URL(this.idp.issuer),
        this.idp.clientId,
        {
          // Pinned: never let the IdP's metadata talk us into `none` or HS256 (security.md §3.2).
          id_token_signed_response_alg: this.idp.idTokenSigningAlg,
          [client.clockTolerance]: this.idp.clockToleranceSeconds,
          ...(this.idp.clientSecret ? { client_secret: this.idp.clientSecret } : {}),
        },
        this.idp.clientSecret ? client.ClientSecretBasic(this.idp.clientSecret) : client.None(),
        {
          timeout: 10,
          execute: [
            ...(this.idp.insecureAllowHttp ? [client.allowInsecureRequests] : []),
            // Verify the ID token signature against the IdP's JWKS too, not only TLS to /token.
            client.enableNonRepudiationChecks,
          ],
        },
      )
      .catch((err: unknown) => {
        this.configuration = undefined;
        throw new BridgeError('ERR_IDP_UNREACHABLE', {
          userMessage: 'The identity provider could not be reached.',
          hint: 'Try again in a moment. Admin: check the IdP issuer URL and network access.',
          detail: { idp: this.idp.id, issuer: this.idp.issuer, error: errorSummary(err) },
          cause: err,
        });
      });
    return this.configuration;
  }
}

/** Maps openid-client failures to stable codes; the library's message goes to the log only. */
function classifyGrantError(err: unknown): BridgeError {
  const detail = { error: errorSummary(err) };
  if (err instanceof client.AuthorizationResponseError) {
    return new BridgeError('ERR_AUTH_IDP_ERROR', { detail: { ...detail, idpError: err.error } });
  }
  const code = (err as { code?: string }).code;
  if (err instanceof client.ResponseBodyError) {
    return new BridgeError('ERR_AUTH_IDP_ERROR', { detail: { ...detail, idpError: err.error, status: err.status } });
  }
  if (code?.startsWith('OAUTH_') || code?.startsWith('ERR_JW')) {
    return new BridgeError('ERR_AUTH_TOKEN_INVALID', { detail });
  }
  return new BridgeError('ERR_IDP_UNREACHABLE', { detail, cause: err });
}

function errorSummary(err: unknown): string {
  if (err instanceof Error) return `${(err as { code?: string }).code ?? err.name}: ${err.message}`;
  return String(err);
}
