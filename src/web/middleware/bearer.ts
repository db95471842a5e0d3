import type { Middleware } from 'koa';
import { tokenInvalid, type DeviceFlow } from '../../device/index.js';
import type { Idp } from '../../config/index.js';
import { BridgeError, isBridgeError, sentence } from '../../errors.js';
import { stillTrusted } from '../../idp/identity.js';
import type { AuditLog } from '../../issuance/index.js';
import { auditEvent } from '../security-events.js';

/** RFC 6750 §2.1 `b64token`. */
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Admits a request carrying a valid CLI access token whose session is still live, and puts the
 * session on `ctx.state.cliSession`. Cookies play no part here, so there is nothing to forge
 * cross-site (no CSRF token needed). Refusals are 401 with the RFC 6750 §3 challenge; it is the
 * only 401 of the API that carries `error="invalid_token"`, so a client refreshes on that and on
 * nothing else (a 401 from STS, say, is about the request, not the token).
 */
export function requireAccessToken(device: DeviceFlow, idps: readonly Idp[], audit: AuditLog): Middleware {
  return async function authenticateBearer(ctx, next) {
    const match = BEARER.exec(ctx.get('Authorization'));
    if (!match) {
      // §3.1: a request without credentials gets the bare challenge, no error code.
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new BridgeError('ERR_TOKEN_MISSING', {
        userMessage: sentence('err.ERR_TOKEN_MISSING'),
        hint: sentence('hint.runLogin'),
      });
    }
    try {
      const sid = await device.accessTokens.verify(match[1]!);
      const session = await device.sessions.find(sid);
      if (!session) throw tokenInvalid({ reason: 'session-ended', sid });
      // Its IdP was removed from the configuration, or now names another issuer: the session ends
      // with it (as a browser's does).
      if (!stillTrusted(idps, session.identity)) {
        if (await device.sessions.revoke(sid))
          auditEvent(ctx, audit, { event: 'cli-session-revoked', by: 'config', sid, user: session.identity });
        throw tokenInvalid({ reason: 'idp-removed', sid, idp: session.identity.idp });
      }
      ctx.state.cliSession = session;
    } catch (err) {
      // The challenge is what tells a client to refresh its token (§3.1), so only a refused token
      // gets it: a store outage while checking must not send every CLI into a refresh.
      if (isBridgeError(err, 'ERR_TOKEN_INVALID')) ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw err;
    }
    await next();
  };
}
