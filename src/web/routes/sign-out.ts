import Router from '@koa/router';
import type { Context } from 'koa';
import { SIGN_OUT_OFFER_TTL_SECONDS } from '../../config/index.js';
import type { CliSessions } from '../../device/index.js';
import { newSecret, secretHash } from '../../device/secrets.js';
import { BridgeError, sentence } from '../../errors.js';
import type { Identity } from '../../idp/identity.js';
import type { AuditLog } from '../../issuance/index.js';
import type { WebDeps } from '../deps.js';
import { auditEvent } from '../security-events.js';
import type { SignedOutPage } from '../pages.js';
import { refuseCrossSite, requireCsrfToken } from '../middleware/csrf.js';
import { pageLocale } from '../middleware/language.js';
import { translator } from '../i18n/index.js';
import { SealedBox } from '../sealed-box.js';

/**
 * Signing out of the browser, and what else a user may want to end with it:
 *
 *   POST /logout                 ends the browser session (`cli_sessions=end`: the user's CLI
 *                                sessions too), then the signed-out page offers
 *   POST /logout/cli-sessions    …to end the user's CLI sessions after all (a one-time token from
 *                                that page stands in for the session that is gone), and
 *   GET  <IdP end_session>       …to sign out at the IdP as well (OIDC RP-Initiated Logout), which
 *   GET  /signed-out             sends the browser back here.
 *
 * Both POSTs answer 303 to `GET /signed-out` (POST-redirect-GET: reloading never re-posts a used
 * token into an error). What that page shows (the offer and its token, how many sessions ended,
 * the IdP link) travels in a short-lived sealed cookie (AES-GCM, never in the URL), read once: a
 * reload, or the IdP sending the browser back, shows the plain page, never a stale offer or an
 * "IdP still active" that is no longer true.
 *
 * CLI sessions are found by exactly this user (IdP issuer and subject), never by email or bare
 * subject: a sign-out must not end someone else's sessions.
 */
export function signOutRoutes(deps: WebDeps, cliSessions?: CliSessions): Router {
  const router = new Router();
  const { config, connectors, store, views } = deps;
  const publicOrigin = new URL(config.server.publicUrl).origin;
  const signedOutUrl = `${config.server.publicUrl}/signed-out`;
  const https = config.server.publicUrl.startsWith('https:');
  const pageCookie = https ? '__Host-rambridge-signed-out' : 'rambridge.signed-out';
  const box = new SealedBox(config.server.sessionSecrets, 'signed-out-page');

  router.post('/logout', async function signOut(ctx) {
    const user = ctx.state.user;
    // A session that timed out (or whose IdP a reload removed) is already gone, and its form's
    // token with it: there is nothing left to protect, so the user sees the signed-out page rather
    // than "this form has expired". Cross-site posts are still refused, and nothing is cleared.
    if (!user) {
      refuseCrossSite(ctx, publicOrigin);
      return showSignedOut(ctx, {});
    }
    requireCsrfToken(ctx, publicOrigin);
    const endCliSessions = (ctx.request.body as Record<string, unknown> | undefined)?.cli_sessions === 'end';
    ctx.session = null;
    auditEvent(ctx, deps.audit, { event: 'logout', user });
    const page: SignedOutPage = { idpLogout: await idpLogoutLink(user) };
    if (cliSessions && endCliSessions) page.ended = await endSessionsOf(ctx, deps.audit, cliSessions, user);
    else if (cliSessions) {
      const live = (await cliSessions.listForIdentity(user)).length;
      if (live > 0) page.offer = { count: live, token: await offerToEnd(user) };
    }
    showSignedOut(ctx, page);
  });

  if (cliSessions) {
    router.post('/logout/cli-sessions', async function endCliSessionsAfterSignOut(ctx) {
      refuseCrossSite(ctx, publicOrigin);
      const token = (ctx.request.body as Record<string, unknown> | undefined)?.token;
      const owner = typeof token === 'string' && token !== '' ? await store.consume<Owner>(offerKey(token)) : undefined;
      if (!owner) {
        throw new BridgeError('ERR_CSRF', {
          userMessage: sentence('err.ERR_CSRF.offer'),
          hint: sentence('hint.offerUsed'),
        });
      }
      showSignedOut(ctx, { ended: await endSessionsOf(ctx, deps.audit, cliSessions, owner) });
    });
  }

  // The page both POSTs send the browser to, and where the IdP sends it after RP-initiated logout.
  router.get('/signed-out', function signedOutPage(ctx) {
    render(ctx, takePage(ctx));
  });

  /** The answer to both POSTs: the page's state in the cookie, and 303 to the page. */
  function showSignedOut(ctx: Context, page: SignedOutPage): void {
    const sealed = box.seal({ page, exp: deps.clock.now() + SIGN_OUT_OFFER_TTL_SECONDS * 1000 } satisfies SealedPage);
    ctx.cookies.set(pageCookie, sealed, { ...cookieOptions, maxAge: SIGN_OUT_OFFER_TTL_SECONDS * 1000 });
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 303;
    ctx.redirect('/signed-out');
  }

  /** The state the last POST left for this page, once; nothing (the plain page) when there is none or it is not ours. */
  function takePage(ctx: Context): SignedOutPage {
    const value = ctx.cookies.get(pageCookie, { signed: false });
    if (value === undefined) return {};
    ctx.cookies.set(pageCookie, null, cookieOptions);
    const opened = box.open<SealedPage>(value);
    return opened && opened.exp > deps.clock.now() ? opened.page : {};
  }

  /** A single-use token naming the user, so the page can offer what the ended session no longer can. */
  async function offerToEnd(user: Identity): Promise<string> {
    const token = newSecret();
    const owner: Owner = { idp: user.idp, issuer: user.issuer, subject: user.subject };
    await store.upsert(offerKey(token), owner, SIGN_OUT_OFFER_TTL_SECONDS);
    return token;
  }

  /** The IdP's end-session URL when it advertises one; a sign-out never fails for want of it. */
  async function idpLogoutLink(user: Identity): Promise<SignedOutPage['idpLogout']> {
    const connector = connectors.get(user.idp);
    try {
      const url = await connector?.endSessionUrl?.(signedOutUrl);
      return url && connector ? { url, name: connector.displayName } : undefined;
    } catch {
      return undefined;
    }
  }

  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: https, signed: false, overwrite: true, path: '/' } as const;

  function render(ctx: Context, page: SignedOutPage): void {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = views.render('signed-out', { title: translator(ctx.state.lang)('signedOut.title'), ...page }, pageLocale(ctx));
  }

  return router;
}

/** What a POST leaves for the signed-out page, and until when (ms, on the injected clock). */
interface SealedPage {
  page: SignedOutPage;
  exp: number;
}

/** Whose CLI sessions a sign-out offer may end. */
type Owner = Pick<Identity, 'idp' | 'issuer' | 'subject'>;

/** Stored under the token's hash: a copy of the store holds no usable offer. */
const offerKey = (token: string) => `signout:offer:${secretHash(token)}`;

async function endSessionsOf(ctx: Context, audit: AuditLog, cliSessions: CliSessions, owner: Owner): Promise<number> {
  const ended = await cliSessions.revokeForIdentity(owner);
  for (const s of ended) {
    auditEvent(ctx, audit, { event: 'cli-session-revoked', by: 'user-sign-out', sid: s.sid, user: s.identity });
  }
  return ended.length;
}
