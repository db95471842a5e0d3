import type Koa from 'koa';
import {
  askIdpAgain,
  canRefresh,
  claimUpstreamRefreshToken,
  refreshesGroups,
  releaseUpstreamRefreshToken,
  upstreamRefreshTokenHolder,
} from '../../device/upstream-refresh.js';
import type { WebDeps } from '../deps.js';
import { auditEvent } from '../security-events.js';

/**
 * Browser sessions follow the user at the IdP as CLI sessions do (`refreshGroups`): a session that
 * holds an IdP refresh token re-reads the identity with it once the identity is older than one CLI
 * access-token lifetime (`device.accessTokenTtlSeconds`), before the request uses it (the picker,
 * the console, credentials, device approval). Runs after loadUser.
 * - The IdP refusing the user ends the session; an IdP that cannot be asked leaves the identity as
 *   it was until the next interval (warned once), and its token to an approval when the IdP
 *   certainly did not spend it (an error answer, no connection).
 * - One request of the session asks, the others go on with the identity they have: the token is
 *   claimed first, so two tabs never spend it twice (an IdP that rotates refresh tokens revokes a
 *   token used twice). The claim outlives the spent token's last reader and expires before the
 *   next re-read is due. The re-read identity is saved with the session, and a request that read
 *   the session before and saves it after does not bring the old one back (middleware/session.ts).
 * - A CLI approval took the token (routes/device.ts): with nothing left to ask the IdP with, the
 *   session ends when its identity is due, and the browser signs in again, through the IdP
 *   (without a prompt while the IdP's own session lasts), for a fresh identity and token. The
 *   verification page does that round trip itself, keeping the code (and no new prompt).
 * - The IdP gave no refresh token (it ignores `offline_access`): the same, every interval.
 * - Signing out (`POST /logout`) is never held up: it ends the session, and acts on
 *   `cli_sessions=end` with the identity the session has.
 */
export function rereadIdentity(deps: Pick<WebDeps, 'config' | 'store' | 'clock' | 'connectors' | 'audit'>): Koa.Middleware {
  const { store, clock, connectors } = deps;
  const intervalSeconds = deps.config.device.accessTokenTtlSeconds;
  const reread = async (ctx: Koa.Context): Promise<void> => {
    // Signing out ends the session anyway, and needs its user and form token to end the CLI sessions too.
    if (routeOf(ctx) === '/logout') return;
    const s = ctx.session;
    const before = ctx.state.user;
    const connector = before && connectors.get(before.idp);
    const now = clock.now();
    const due = s && now - (s.identityCheckedAt ?? s.loginAt ?? now) >= intervalSeconds * 1000;
    if (!due || !before || !connector || !canRefresh(connector)) return;
    const log = ctx.state.log;
    const who = { session: 'browser', idp: before.idp, subject: before.subject, email: before.email };
    const signInAgain = (by = 'refresh-token-taken') => {
      if (routeOf(ctx) === '/device') {
        ctx.state.identityDue = true;
        return;
      }
      ctx.session = null;
      ctx.state.user = undefined;
      log.info(
        { event: 'session-ended', by, ...who },
        by === 'refresh-token-taken'
          ? 'browser session ended: its identity is due at the IdP, and a CLI approval took its refresh token'
          : 'browser session ended: its identity is due at the IdP, which gave no refresh token to re-read it with',
      );
    };
    const data = s.connectorData;
    const token = data?.refreshToken;
    if (!data || !token) {
      if (s.upstreamRefreshTokenTaken) return signInAgain();
      return refreshesGroups(deps.config.idps, before.idp) ? signInAgain('upstream-refresh-unavailable') : undefined;
    }
    const signInId = s.signInId ?? '';
    if (!(await claimUpstreamRefreshToken(store, token, signInId, intervalSeconds, 'reread'))) {
      // Another request of this session is asking: go on as is. An approval took it for good (this
      // session was saved back by a request that had read it before): as above.
      if ((await upstreamRefreshTokenHolder(store, token, signInId)) === 'approval') signInAgain();
      return;
    }
    const answer = await askIdpAgain(connector, before, data, log, who);
    if (answer.kind === 'denied') {
      ctx.session = null;
      ctx.state.user = undefined;
      ctx.state.sessionEnded = true;
      log.warn(
        { event: 'session-ended', by: 'idp', ...who, detail: answer.err.detail },
        'browser session ended: the IdP refused the user on refresh',
      );
      auditEvent(ctx, deps.audit, { event: 'session-ended', by: 'idp', user: before });
      return;
    }
    // Answered or not, the IdP is asked again only after the next interval.
    s.identityCheckedAt = now;
    if (answer.kind === 'refreshed') {
      s.identity = answer.identity;
      if (answer.connectorData) s.connectorData = answer.connectorData;
      ctx.state.user = answer.identity;
      // Not rotated: the token is still good, and the next approval or re-read may claim it.
      if (s.connectorData?.refreshToken === token) await releaseUpstreamRefreshToken(store, token, signInId);
    } else if (answer.tokenUnspent) {
      // Never used (an error answer from the IdP, or no connection): an approval may still take it.
      // After a timeout or a dropped connection the IdP may have spent it: the claim stays.
      await releaseUpstreamRefreshToken(store, token, signInId);
    }
  };
  return async function rereadIdentityWhenDue(ctx, next) {
    await reread(ctx);
    await next();
  };
}

/**
 * The path as the router matches it: it ignores case and a trailing slash (@koa/router's defaults),
 * so `/LOGOUT/` reaches the sign-out route too and must be recognised as it.
 */
function routeOf(ctx: Koa.Context): string {
  return ctx.path.replace(/\/+$/, '').toLowerCase() || '/';
}
