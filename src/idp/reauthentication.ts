import { BridgeError, sentence } from '../errors.js';
import type { FlowSecrets } from './connector.js';
import type { Identity } from './identity.js';

/**
 * Re-authentication is asserted by the IdP, never inferred from our own clock: a sign-in that told
 * the IdP to ask for credentials again (OIDC `prompt=login` + `max_age=0`, SAML `ForceAuthn`)
 * counts only when the IdP says the user authenticated after that sign-in started. An IdP that
 * ignored the request and answered from its existing session (silent SSO) is refused.
 */

/** The secret a connector keeps in the flow when it asked for re-authentication: when it asked (ms). */
const REAUTH_SINCE = 'reauthenticateSince';

export function reauthenticationSecrets(now: number): FlowSecrets {
  return { [REAUTH_SINCE]: String(now) };
}

/** Throws ERR_AUTH_NOT_REAUTHENTICATED unless the identity authenticated after the flow asked. */
export function checkReauthentication(identity: Identity, secrets: FlowSecrets, toleranceSeconds: number): void {
  const since = secrets[REAUTH_SINCE];
  if (since === undefined) return;
  const authTime = identity.authTime;
  if (authTime === undefined || authTime * 1000 < Number(since) - toleranceSeconds * 1000) {
    throw new BridgeError('ERR_AUTH_NOT_REAUTHENTICATED', {
      userMessage: sentence('err.ERR_AUTH_NOT_REAUTHENTICATED.generic'),
      hint: sentence('hint.reauth'),
      detail: { authTime, since: Math.floor(Number(since) / 1000), toleranceSeconds },
    });
  }
}
