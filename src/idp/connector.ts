import type { Identity } from './identity.js';

/**
 * An upstream corporate IdP behind one small interface (dex's connector): start a login, finish it,
 * get an Identity. Connectors know nothing of roles, sessions or HTTP frameworks.
 */
export interface Connector {
  readonly id: string;
  readonly displayName: string;
  readonly type: 'oidc' | 'saml';
  /**
   * Begins a sign-in: where to send the browser, and the secrets (state, nonce, PKCE verifier…)
   * that must come back bound to this browser's flow cookie.
   */
  startLogin(options?: LoginOptions): Promise<LoginStart>;
  /** Verifies the IdP's answer against the secrets from `startLogin`. Throws a BridgeError on any refusal. */
  finishLogin(answer: IdpAnswer, secrets: FlowSecrets): Promise<Identity>;
  /**
   * Readiness: loads the IdP's metadata (OIDC discovery, SAML metadata) again when due and throws
   * the BridgeError of the last failure, if the last attempt failed.
   */
  ready(): Promise<void>;
  /** Loads the IdP's metadata now, whatever the schedule (SIGHUP). */
  reload(): Promise<void>;
  /**
   * Re-reads the user at the IdP with `identity.upstreamRefreshToken` (OIDC only; SAML has no
   * refresh). Returns the fresh identity, carrying the IdP's rotated refresh token if it rotated.
   * Throws ERR_UPSTREAM_REFRESH_DENIED when the IdP refuses the user (`invalid_grant`: disabled,
   * grant revoked) or now names someone else; any other BridgeError means the IdP could not be
   * asked properly, which says nothing about the user.
   */
  refresh?(identity: Identity): Promise<Identity>;
  /**
   * Where to send the browser to sign out at the IdP too, coming back to `postLogoutRedirectUri`
   * (OIDC RP-Initiated Logout 1.0); undefined when the IdP advertises no way to.
   */
  endSessionUrl?(postLogoutRedirectUri: string): Promise<string | undefined>;
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
