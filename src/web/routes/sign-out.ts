import Router from '@koa/router';
import type { Context } from 'koa';
import { SIGN_OUT_OFFER_TTL_SECONDS } from '../../config/index.js';
import type { CliSessions } from '../../device/index.js';
import { newSecret, secretHash } from '../../device/secrets.js';
import { BridgeError } from '../../errors.js';
import type { Identity } from '../../idp/identity.js';
import type { Logger } from '../../log.js';
import type { WebDeps } from '../deps.js';
import type { SignedOutPage } from '../pages.js';
import { checkCsrf, refuseCrossSite } from '../middleware/csrf.js';
import { pageLocale } from '../middleware/language.js';
import { translator } from '../i18n/index.js';

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
 * CLI sessions are found by exactly this user (IdP issuer and subject), never by email or bare
 * subject: a sign-out must not end someone else's sessions.
 */
export function signOutRoutes(deps: WebDeps, cliSessions?: CliSessions): Router {
  const router = new Router();
  const { config, connectors, store, views } = deps;
  const publicOrigin = new URL(config.server.publicUrl).origin;
  const signedOutUrl = `${config.server.publicUrl}/signed-out`;

  router.post('/logout', checkCsrf(publicOrigin), async function signOut(ctx) {
    const user = ctx.state.user;
    const endCliSessions = (ctx.request.body as Record<string, unknown> | undefined)?.cli_sessions === 'end';
    ctx.session = null;
    if (!user) return render(ctx, {});
    logOf(ctx).info({ event: 'logout', issuer: user.issuer, subject: user.subject }, 'signed out');
    const page: SignedOutPage = { idpLogout: await idpLogoutLink(user) };
    if (cliSessions && endCliSessions) page.ended = await endSessionsOf(ctx, cliSessions, user);
    else if (cliSessions) {
      const live = (await cliSessions.listForIdentity(user)).length;
      if (live > 0) page.offer = { count: live, token: await offerToEnd(user) };
    }
    render(ctx, page);
  });

  if (cliSessions) {
    router.post('/logout/cli-sessions', async function endCliSessionsAfterSignOut(ctx) {
      refuseCrossSite(ctx, publicOrigin);
      const token = (ctx.request.body as Record<string, unknown> | undefined)?.token;
      const owner = typeof token === 'string' && token !== '' ? await store.consume<Owner>(offerKey(token)) : undefined;
      if (!owner) {
        throw new BridgeError('ERR_CSRF', {
          userMessage: 'This offer has expired or was already used.',
          hint: 'Run `rambridge logout` on each computer, or sign in and sign out again.',
        });
      }
      render(ctx, { ended: await endSessionsOf(ctx, cliSessions, owner) });
    });
  }

  // Where the IdP sends the browser after RP-initiated logout; nothing here depends on who comes.
  router.get('/signed-out', function showSignedOut(ctx) {
    render(ctx, {});
  });

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

  function render(ctx: Context, page: SignedOutPage): void {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = views.render('signed-out', { title: translator(ctx.state.lang)('signedOut.title'), ...page }, pageLocale(ctx));
  }

  return router;
}

/** Whose CLI sessions a sign-out offer may end. */
type Owner = Pick<Identity, 'idp' | 'issuer' | 'subject'>;

/** Stored under the token's hash: a copy of the store holds no usable offer. */
const offerKey = (token: string) => `signout:offer:${secretHash(token)}`;

async function endSessionsOf(ctx: Context, cliSessions: CliSessions, owner: Owner): Promise<number> {
  const ended = await cliSessions.revokeForIdentity(owner);
  for (const s of ended) {
    logOf(ctx).info({ event: 'cli-session-revoked', by: 'user-sign-out', sid: s.sid, subject: owner.subject }, 'CLI session revoked');
  }
  return ended.length;
}

/** The request's logger (request id attached), set by requestContext. */
const logOf = (ctx: Context) => (ctx.state as { log: Logger }).log;
