import Router from '@koa/router';
import type { Context } from 'koa';
import {
  cleanClientText,
  formatUserCode,
  isS256Challenge,
  refreshAtIdp,
  type CliSession,
  type DeviceClient,
  type DeviceFlow,
} from '../../device/index.js';
import { BridgeError, sentence } from '../../errors.js';
import type { DeviceAuthorization, TokenResponse } from '../../wire/oauth-bodies.js';
import { DEVICE_CODE_GRANT } from '../../wire/oauth.js';
import type { WebDeps } from '../deps.js';
import { auditEvent } from '../security-events.js';
import { authenticateClient, oauthParams, requiredParam, type OAuthParam } from '../oauth-params.js';
import { rateLimitedAddress } from '../client-ip.js';

/**
 * How much of what the CLI says about itself is kept and shown on the confirmation page: a DNS
 * name's 255 characters, a version string, and a generous User-Agent. Longer is not a real client.
 */
const CLIENT_TEXT_MAX = { host: 255, version: 64, userAgent: 512 } as const;

/**
 * The bridge as OAuth authorization server for the CLI: device authorization (RFC 8628 §3.1–3.2),
 * the token endpoint for the device_code and refresh_token grants (RFC 8628 §3.4–3.5, RFC 6749 §6)
 * and revocation (RFC 7009). Errors are RFC 6749 §5.2 JSON, written by the error middleware.
 */
export function oauthRoutes(deps: WebDeps, device: DeviceFlow): Router {
  const router = new Router();
  const { publicUrl } = deps.config.server;

  router.post('/oauth/device_authorization', async function startDeviceAuthorization(ctx) {
    const param = oauthParams<'device_authorization'>(ctx);
    const client: DeviceClient = {
      clientId: authenticateClient(param),
      host: cleanClientText(param('client_host'), CLIENT_TEXT_MAX.host),
      version: cleanClientText(param('client_version'), CLIENT_TEXT_MAX.version),
      ip: ctx.ip,
      userAgent: cleanClientText(ctx.get('User-Agent'), CLIENT_TEXT_MAX.userAgent),
    };
    const challenge = codeChallenge(param);
    await device.startLimit.admit(rateLimitedAddress(ctx));
    const started = await device.grants.start(client, challenge);
    ctx.state.log.info(
      { event: 'device-authorization', clientHost: client.host, clientVersion: client.version, pkce: challenge !== undefined },
      'device authorization started',
    );
    const userCode = formatUserCode(started.userCode);
    noStore(ctx);
    ctx.body = {
      device_code: started.deviceCode,
      user_code: userCode,
      verification_uri: `${publicUrl}/device`,
      verification_uri_complete: `${publicUrl}/device?${new URLSearchParams({ user_code: userCode })}`,
      expires_in: started.expiresIn,
      interval: started.interval,
    } satisfies DeviceAuthorization;
  });

  router.post('/oauth/token', async function token(ctx) {
    const param = oauthParams<'device_code_grant' | 'refresh_token_grant'>(ctx);
    const clientId = authenticateClient(param);
    const grantType = requiredParam(param, 'grant_type');
    if (grantType === DEVICE_CODE_GRANT) {
      const grant = await device.grants.redeem({
        deviceCode: requiredParam(param, 'device_code'),
        clientId,
        codeVerifier: param('code_verifier'),
      });
      const { session, refreshToken, ended } = await device.sessions.redeemDeviceGrant(grant);
      for (const sid of ended) {
        auditEvent(ctx, deps.audit, {
          event: 'cli-session-revoked',
          by: 'session-limit',
          sid,
          user: grant.identity,
          limit: deps.config.device.maxSessionsPerUser,
        });
      }
      auditEvent(ctx, deps.audit, {
        event: 'cli-session-started',
        sid: session.sid,
        user: session.identity,
        device: { host: session.client.host },
      });
      return respondWithTokens(ctx, device, session, refreshToken);
    }
    if (grantType === 'refresh_token') {
      const rotated = await device.sessions.refresh(requiredParam(param, 'refresh_token'), clientId);
      // After rotation, so only the holder of the current bridge token makes the bridge call the IdP.
      const session = await refreshAtIdp(
        {
          sessions: device.sessions,
          connectors: deps.connectors,
          idps: deps.config.idps,
          log: ctx.state.log,
          onRevoked: (by, s) => auditEvent(ctx, deps.audit, { event: 'cli-session-revoked', by, sid: s.sid, user: s.identity }),
        },
        rotated.session,
      );
      const { refreshToken } = rotated;
      ctx.state.log.info({ event: 'cli-session-refreshed', sid: session.sid }, 'CLI tokens refreshed');
      return respondWithTokens(ctx, device, session, refreshToken);
    }
    throw new BridgeError('ERR_OAUTH_UNSUPPORTED_GRANT_TYPE', {
      userMessage: sentence('err.ERR_OAUTH_UNSUPPORTED_GRANT_TYPE'),
    });
  });

  router.post('/oauth/revoke', async function revoke(ctx) {
    const param = oauthParams<'revoke'>(ctx);
    authenticateClient(param);
    // token_type_hint is not needed (RFC 7009 §2.1 lets us ignore it): access tokens are JWTs,
    // refresh tokens have no dots.
    const token = requiredParam(param, 'token');
    const sid = token.includes('.')
      ? await device.accessTokens.verify(token).catch(() => undefined)
      : await device.sessions.sidOfRefreshToken(token);
    // Recorded only when this call ended it: a second logout with a still-valid access token ends nothing.
    if (sid && (await device.sessions.revoke(sid))) auditEvent(ctx, deps.audit, { event: 'cli-session-revoked', by: 'client', sid });
    // §2.2: 200 whether or not the token was valid, so the answer tells a guesser nothing.
    ctx.status = 200;
    ctx.body = '';
  });

  return router;
}

/** RFC 7636 with S256 only: `plain` would put the verifier itself on the wire. */
function codeChallenge(param: OAuthParam<'code_challenge' | 'code_challenge_method'>): string | undefined {
  const challenge = param('code_challenge');
  const method = param('code_challenge_method');
  if (challenge === undefined && method === undefined) return undefined;
  if (method !== 'S256' || challenge === undefined || !isS256Challenge(challenge)) {
    throw new BridgeError('ERR_BAD_REQUEST', {
      userMessage: sentence('err.ERR_BAD_REQUEST.pkce'),
    });
  }
  return challenge;
}

/** RFC 6749 §5.1: the token response, never cached. */
async function respondWithTokens(ctx: Context, device: DeviceFlow, session: CliSession, refreshToken: string): Promise<void> {
  const access = await device.accessTokens.mint(session);
  noStore(ctx);
  ctx.body = {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    refresh_token: refreshToken,
  } satisfies TokenResponse;
}

function noStore(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
}
