import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import {
  formatUserCode,
  normalizeUserCode,
  shownClient,
  type ApprovalRefusal,
  type DeviceFlow,
  type DeviceGrant,
} from '../../device/index.js';
import { BridgeError, type ErrorCode } from '../../errors.js';
import { idTokenHalfSpent } from '../../idp/id-token-times.js';
import { authAgeSeconds, type Identity } from '../../idp/identity.js';
import { formatDateTime, formatDurationIn, formatMinutesAgo } from '../i18n/format.js';
import { translator, type Language, type MessageKey } from '../i18n/index.js';
import type { RoleChoice } from '../../mapping/index.js';
import type { DeviceRole } from '../pages.js';
import { pageLocale } from '../middleware/language.js';
import type { WebDeps } from '../deps.js';
import { auditEvent } from '../security-events.js';
import { checkCsrf, csrfToken } from '../middleware/csrf.js';
import type { BrowserSession, RequestState } from '../state.js';

/** What the code form says for each refused code; `unknown` covers wrong and malformed alike. */
const REFUSALS: Record<ApprovalRefusal, { code: ErrorCode; message: MessageKey }> = {
  unknown: { code: 'ERR_DEVICE_USER_CODE_INVALID', message: 'deviceCode.unknown' },
  expired: { code: 'ERR_DEVICE_USER_CODE_EXPIRED', message: 'deviceCode.expired' },
  'already-decided': { code: 'ERR_DEVICE_USER_CODE_USED', message: 'deviceCode.used' },
};

/**
 * The verification page (RFC 8628 §3.3): a signed-in user, recently authenticated, enters the code
 * (or finds it prefilled from `verification_uri_complete`), sees who asked, and approves or denies
 * with an explicit POST. Nothing is ever approved by a GET, and every code submitted, on the entry
 * form or with a decision, goes through the same guessing limit.
 */
export function deviceRoutes(deps: WebDeps, device: DeviceFlow): Router {
  const router = new Router();
  const { config, clock, views, mapper } = deps;
  const csrf = checkCsrf(new URL(config.server.publicUrl).origin);

  /**
   * Approving hands the device a session as this user, so the user must have authenticated
   * recently (RFC 8628 §5.4, docs/security-reference.md §4.3.6); otherwise through the IdP and back, keeping the
   * code. Recent is what the IdP asserts (`auth_time`, `AuthnInstant`), never when the bridge
   * session began: a link to /login can sign a browser in silently on the IdP's old session.
   */
  const requireRecentSignIn: Middleware = async function requireRecentSignIn(ctx, next) {
    const session = ctx.session as BrowserSession | null;
    const user = ctx.state.user;
    const recent = user !== undefined && authAgeSeconds(user, clock.now()) < config.device.reauthenticateAfterSeconds;
    // Each CLI session needs an IdP refresh token of its own: IdPs that rotate them take a shared
    // one, used twice, for a stolen one and revoke it. A recent sign-in whose token an earlier
    // approval took makes a round trip through the IdP (no new prompt) for a new one; so does one
    // whose kept ID token (pass-through roles) is half spent: the CLI session would get it expired.
    const idToken = session?.connectorData?.idToken;
    const stale =
      session?.upstreamRefreshTokenTaken === true ||
      ctx.state.identityDue === true ||
      (idToken !== undefined && idTokenHalfSpent(idToken, session?.loginAt ?? 0, clock.now()));
    if (recent && !stale) {
      await next();
      return;
    }
    throughIdp(ctx, recent);
  };

  /** Sends the browser through the IdP and back to this code; `recent: false` makes the IdP ask again. */
  const throughIdp = (ctx: Context, recent: boolean) => {
    const typed = ctx.method === 'GET' ? ctx.query.user_code : (ctx.request.body as Record<string, unknown> | undefined)?.user_code;
    const code = normalizeUserCode(typed);
    const back = code ? `/device?${new URLSearchParams({ user_code: formatUserCode(code) }).toString()}` : '/device';
    // Not signed in, or authenticated too long ago: the IdP itself must ask again (prompt=login,
    // ForceAuthn), and the connector refuses an answer from before this sign-in started.
    const query = new URLSearchParams({ return_to: back });
    if (!recent) query.set('reauth', '1');
    // A decision posted from a page whose session has since ended: the chooser says so.
    if (ctx.state.user === undefined && (ctx.state.sessionEnded || ctx.method === 'POST')) query.set('expired', '1');
    ctx.redirect(`/login?${query.toString()}`);
    if (ctx.method === 'POST') ctx.status = 303;
  };

  const renderCodeForm = (ctx: Context, value: string, refusal?: { code: string; message: MessageKey }) => {
    ctx.type = 'html';
    const t = translator(ctx.state.lang);
    ctx.body = views.render(
      'device-code',
      {
        title: t('deviceCode.title'),
        user: ctx.state.user,
        csrf: csrfToken(ctx),
        value,
        error: refusal && { code: refusal.code, message: t(refusal.message) },
      },
      pageLocale(ctx),
    );
  };

  router.get('/device', requireRecentSignIn, function showCodeForm(ctx) {
    // Prefilled only: the user still submits it and then confirms on the next page.
    const code = normalizeUserCode(ctx.query.user_code);
    renderCodeForm(ctx, code ? formatUserCode(code) : '');
  });

  router.post('/device', requireRecentSignIn, csrf, async function submitCode(ctx) {
    const user = ctx.state.user as Identity;
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const decision = body.decision;
    if (decision !== undefined && decision !== 'approve' && decision !== 'deny') throw new BridgeError('ERR_BAD_REQUEST');
    const session = ctx.session as BrowserSession;
    const result = await device.approvals.submit({
      user,
      userCode: body.user_code,
      decision,
      connectorData: session.connectorData,
      signInId: session.signInId ?? '',
    });
    if (result.kind === 'refresh-token-taken') {
      // Another approval of this sign-in, posted at the same time, took it: fetch a new one.
      // Marked here too, in case this request saves the session after the one that took it.
      delete session.connectorData!.refreshToken;
      session.upstreamRefreshTokenTaken = true;
      return throughIdp(ctx, true);
    }
    if (result.kind === 'refused') return refuse(ctx, result.why);
    if (result.kind === 'confirm') return renderConfirmation(ctx, result.grant, formatUserCode(result.userCode));

    const { approved, grant } = result;
    if (approved && session.connectorData?.refreshToken) {
      // The grant holds the IdP refresh token now; it leaves the browser session for good.
      delete session.connectorData.refreshToken;
      session.upstreamRefreshTokenTaken = true;
    }
    if (approved) auditEvent(ctx, deps.audit, { event: 'device-approved', user, device: { host: grant.client.host, ip: grant.client.ip } });
    else
      (ctx.state as RequestState).log.info(
        { event: 'device-denied', subject: user.subject, email: user.email, clientHost: grant.client.host, clientIp: grant.client.ip },
        'device denied',
      );
    ctx.type = 'html';
    ctx.body = views.render(
      'device-done',
      {
        title: translator(ctx.state.lang)(approved ? 'deviceDone.approvedTitle' : 'deviceDone.deniedTitle'),
        user,
        csrf: csrfToken(ctx),
        approved,
        client: shownClient(grant.client),
        sessionLifetime: formatDurationIn(ctx.state.lang, config.device.sessionMaxAgeSeconds),
      },
      pageLocale(ctx),
    );
  });

  /**
   * Re-renders the form with what was typed and why it was refused (a 200: wrong input is no error).
   * Still a refusal for the audit stream, with who typed it (never the code): a user guessing codes
   * shows there before the guessing limit's 429 does.
   */
  function refuse(ctx: Context, why: ApprovalRefusal): void {
    const user = ctx.state.user as Identity;
    (ctx.state as RequestState).log.warn(
      { event: 'device-code-refused', why, subject: user.subject, email: user.email },
      'user code refused',
    );
    deps.refusals.observe(ctx, new BridgeError(REFUSALS[why].code));
    const typed = (ctx.request.body as Record<string, unknown>).user_code;
    renderCodeForm(ctx, typeof typed === 'string' ? typed.slice(0, 20) : '', REFUSALS[why]);
  }

  function renderConfirmation(ctx: Context, grant: DeviceGrant, userCode: string): void {
    const askedAt = new Date(grant.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const lang = ctx.state.lang;
    ctx.type = 'html';
    ctx.body = views.render(
      'device-confirm',
      {
        title: translator(lang)('deviceConfirm.title'),
        user: ctx.state.user,
        csrf: csrfToken(ctx),
        userCode,
        // What the device says about itself, cut to what is safe to show (the grant keeps it all).
        client: shownClient(grant.client),
        browserIp: ctx.ip,
        askedAt,
        askedAtUtc: formatDateTime(lang, grant.createdAt),
        askedAgo: formatMinutesAgo(lang, clock.now() - grant.createdAt),
        // What approving hands over, as of now: the device's roles are recomputed from the
        // identity at each request. That identity follows the user's groups only when the IdP is
        // asked again at the CLI's refreshes, with the IdP refresh token this sign-in holds
        // (`refreshGroups`, upstream-refresh.ts); otherwise it is this sign-in's until the CLI
        // session ends. The page says which.
        roles: deviceRoles(mapper.rolesFor(ctx.state.user as Identity), lang),
        followsGroups: (ctx.session as BrowserSession).connectorData?.refreshToken !== undefined,
        sessionLifetime: formatDurationIn(lang, config.device.sessionMaxAgeSeconds),
        scripts: ['/assets/page.js'],
      },
      pageLocale(ctx),
    );
  }

  return router;
}

function deviceRoles(choices: readonly RoleChoice[], lang: Language): DeviceRole[] {
  const t = translator(lang);
  return choices.map(({ role }) => ({
    id: role.id,
    accountName: role.accountName,
    accountId: role.accountId,
    viaLabel:
      role.via === 'chain' ? t('roles.chainedFrom', { role: role.chainFrom ?? '' }) : t('roles.via', { protocol: role.via.toUpperCase() }),
    elevated: role.elevated,
  }));
}
