import type { Clock } from '../clock.js';
import type { BridgeConfig } from '../config/index.js';
import type { BridgeIssuer } from '../issuer/index.js';
import type { Store } from '../store/index.js';
import { DEVICE_CODE_GRANT } from '../wire/oauth.js';
import { AccessTokens } from './access-tokens.js';
import { DeviceApprovals } from './approval.js';
import { UserCodeAttempts } from './attempts.js';
import { DeviceStartLimit } from './start-limit.js';
import { CliSessions } from './cli-sessions.js';
import { DeviceGrants } from './grants.js';

/**
 * CLI sign-in with the bridge as OAuth authorization server: the device authorization grant
 * (RFC 8628), refresh with rotation (RFC 6749 §6), revocation (RFC 7009) and the access tokens
 * of the bearer API. Routes (src/web/routes/{oauth,device,api}.ts):
 *
 *   CLI     POST /oauth/device_authorization ──▶ device_code + user_code     (grants.start)
 *   browser GET/POST /device   enter code ──▶ confirm "who asked" ──▶ approve/deny
 *                                            (approvals.submit: attempts.reserve, grants.lookup/decide)
 *   CLI     POST /oauth/token  device_code ──▶ pending | slow_down | denied | expired | tokens once
 *                                            (grants.redeem → sessions.redeemDeviceGrant → accessTokens.mint)
 *           POST /oauth/token  refresh_token ──▶ rotated pair; reuse ends the session (sessions.refresh,
 *                                            then refreshAtIdp re-reads the user at the IdP)
 *           POST /oauth/revoke ──▶ the session ends (sessions.revoke)
 *           /api/* Bearer      ──▶ accessTokens.verify + sessions.find, then the stored identity
 *                                  is mapped to roles afresh on every call
 *
 * Everything lives in the Store on the injected clock; only hashes of device codes, user codes
 * and refresh tokens are stored.
 */
export interface DeviceFlow {
  grants: DeviceGrants;
  attempts: UserCodeAttempts;
  approvals: DeviceApprovals;
  startLimit: DeviceStartLimit;
  sessions: CliSessions;
  accessTokens: AccessTokens;
}

export function createDeviceFlow(deps: { config: BridgeConfig; store: Store; clock: Clock; issuer: BridgeIssuer }): DeviceFlow {
  const { config, store, clock, issuer } = deps;
  const settings = config.device;
  const grants = new DeviceGrants({ store, clock, settings });
  const attempts = new UserCodeAttempts({ store, clock, settings });
  return {
    grants,
    attempts,
    approvals: new DeviceApprovals({ grants, attempts, browserSessionSeconds: config.server.sessionMaxAgeSeconds }),
    startLimit: new DeviceStartLimit({ store, clock, settings }),
    sessions: new CliSessions({
      store,
      clock,
      maxAgeSeconds: settings.sessionMaxAgeSeconds,
      maxSessionsPerUser: settings.maxSessionsPerUser,
      // Twice the rotations of a session refreshing once per access token all its life (the CLI
      // refreshes a minute early): every earlier token stays detectable as a reuse, and a session
      // refreshing in a loop is ended before it can fill the store.
      rotationsKept: 2 * Math.ceil(settings.sessionMaxAgeSeconds / settings.accessTokenTtlSeconds),
    }),
    accessTokens: new AccessTokens({ issuer, clock, ttlSeconds: settings.accessTokenTtlSeconds }),
  };
}

/** What the discovery document adds so standard OAuth clients find the device flow (RFC 8414, RFC 8628 §4). */
export function deviceDiscovery(publicUrl: string): Record<string, unknown> {
  return {
    device_authorization_endpoint: `${publicUrl}/oauth/device_authorization`,
    token_endpoint: `${publicUrl}/oauth/token`,
    revocation_endpoint: `${publicUrl}/oauth/revoke`,
    grant_types_supported: [DEVICE_CODE_GRANT, 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
  };
}

export { cleanClientText, shownClient, type DeviceClient } from './client.js';
export { API_AUDIENCE, AccessTokens, tokenInvalid } from './access-tokens.js';
export { CliSessions, type CliSession } from './cli-sessions.js';
export { refreshAtIdp } from './upstream-refresh.js';
export { DeviceGrants, type StartedAuthorization, type UserCodeOutcome } from './grants.js';
export type { ApprovedGrant } from './grant.js';
export { UserCodeAttempts } from './attempts.js';
export { DeviceApprovals, type ApprovalRefusal, type ApprovalResult } from './approval.js';
export { formatUserCode, normalizeUserCode } from './user-code.js';
export { isS256Challenge } from './pkce.js';
export type { DeviceGrant } from './grant.js';
export { SlidingWindow } from './sliding-window.js';
export { secretHash } from './secrets.js';
