import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { Identity } from './identity.js';

/**
 * An upstream corporate IdP behind one small interface (dex's connector): start a login, finish it,
 * get an Identity and the connector's own data. Connectors know nothing of roles, sessions or HTTP
 * frameworks. Every kind is built with the same `ConnectorDeps`.
 */
export type Connector = RedirectConnector | ServiceProviderConnector;

interface ConnectorBase {
  readonly id: string;
  readonly displayName: string;
  /**
   * Begins a sign-in: where to send the browser, and the secrets (state, nonce, PKCE verifier…)
   * that must come back bound to this browser's flow cookie.
   */
  startLogin(options?: LoginOptions): Promise<LoginStart>;
  /** Verifies the IdP's answer against the secrets from `startLogin`. Throws a BridgeError on any refusal. */
  finishLogin(answer: IdpAnswer, secrets: FlowSecrets): Promise<LoginResult>;
  /**
   * Readiness: loads the IdP's metadata (OIDC discovery, SAML metadata) again when due and throws
   * the BridgeError of the last failure, if the last attempt failed.
   */
  ready(): Promise<void>;
  /** Loads the IdP's metadata now, whatever the schedule (SIGHUP). */
  reload(): Promise<void>;
  /**
   * Re-reads the user at the IdP with `data.refreshToken` (OIDC only; SAML has no refresh).
   * Returns the fresh identity and data, carrying the IdP's rotated refresh token if it rotated.
   * Throws ERR_UPSTREAM_REFRESH_DENIED when the IdP refuses the user (`invalid_grant`: disabled,
   * grant revoked) or now names someone else; any other BridgeError means the IdP could not be
   * asked properly, which says nothing about the user.
   * A failure that certainly left `data.refreshToken` unspent (the IdP answered with an error, or
   * was never reached) says so (`refreshTokenUnspent`).
   */
  refresh?(identity: Identity, data: ConnectorData): Promise<LoginResult>;
  /**
   * Where to send the browser to sign out at the IdP too, coming back to `postLogoutRedirectUri`
   * (OIDC RP-Initiated Logout 1.0); undefined when the IdP advertises no way to.
   */
  endSessionUrl?(postLogoutRedirectUri: string): Promise<string | undefined>;
}

/** An IdP that answers by redirecting the browser back (OIDC). */
export interface RedirectConnector extends ConnectorBase {
  readonly type: 'oidc';
  /**
   * Whether the callback URL plainly answers a request other than the one in `secrets` (this
   * browser's flow): its `state` differs — an earlier tab's sign-in, or an answer made up elsewhere.
   */
  answersAnotherRequest(callbackUrl: URL, secrets: FlowSecrets): boolean;
}

/** An IdP that posts its answer to the bridge as Service Provider (SAML). */
export interface ServiceProviderConnector extends ConnectorBase {
  readonly type: 'saml';
  /** Our SP metadata, for the IdP's administrator. */
  spMetadata(): string;
  /** Whether a posted answer is IdP-initiated from an IdP that allows them (answered with a fresh SP-initiated sign-in). */
  isAllowedIdpInitiated(form: Record<string, unknown>): boolean;
  /**
   * Whether a posted answer plainly answers a request other than the one in `secrets` (this
   * browser's flow), seen without parsing it: an earlier tab's sign-in.
   */
  answersAnotherRequest(form: Record<string, unknown>, secrets: FlowSecrets): boolean;
}

/** What every connector is built with: the store (replay markers…) and the bridge's clock. */
export interface ConnectorDeps {
  store: Store;
  clock: Clock;
  /** Return the IdP's raw ID token in the connector data (a role uses `oidcPassThrough`). */
  keepIdToken?: boolean;
  /** Where a connector warns about what it loads (a SAML IdP certificate refused from metadata). */
  logger?: Logger;
}

/**
 * What a connector keeps from a sign-in for later use (dex's connectorData): upstream credentials,
 * never part of the Identity. The bridge stores it beside the identity, server-side only (browser
 * session, device grant, CLI session), never logs or shows it, and hands it back to the connector
 * (`refresh`) or, for pass-through roles, the ID token to STS.
 */
export interface ConnectorData {
  /** The IdP's raw ID token, kept only when a role passes it through to STS (`keepIdToken`). */
  idToken?: string;
  /**
   * The IdP's refresh token, kept only with `refreshGroups`: CLI refreshes use it to re-read the
   * user's groups. A long-lived credential that belongs to exactly one CLI session
   * (routes/device.ts: approving moves it there).
   */
  refreshToken?: string;
}

/** A finished sign-in (or refresh): who the user is, and the connector's data to keep. */
export interface LoginResult {
  identity: Identity;
  connectorData?: ConnectorData;
}

export type FlowSecrets = Record<string, string>;

export interface LoginOptions {
  /**
   * Make the IdP ask for credentials again instead of reusing its own session (OIDC `prompt=login`
   * with `max_age=0`; SAML `ForceAuthn`): before approving a CLI login. The answer is refused
   * unless the IdP's `auth_time` / `AuthnInstant` is after this sign-in started (reauthentication.ts).
   */
  reauthenticate?: boolean;
}

/** How the IdP's answer reached us: a redirect (OIDC query) or a form POST (SAML HTTP-POST binding). */
export type IdpAnswer = { kind: 'redirect'; url: URL } | { kind: 'post'; form: Record<string, unknown> };

export interface LoginStart {
  redirectTo: string;
  secrets: FlowSecrets;
}
