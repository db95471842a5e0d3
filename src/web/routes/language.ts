import Router from '@koa/router';
import { BridgeError, toBridgeError, sentence } from '../../errors.js';
import { isLanguage } from '../i18n/index.js';
import type { WebDeps } from '../deps.js';
import { refuseCrossSite } from '../middleware/csrf.js';
import { setLanguageCookie, switcherTarget } from '../middleware/language.js';
import { rememberLanguageOf } from '../role-preferences.js';

/**
 * The language switcher in every page's header: `POST /lang` with `lang` and `return_to` sets the
 * `rambridge_lang` cookie and sends the browser back (303) to the page it came from.
 *
 * Why this design: a POST, because it changes state (a GET link would be followed by prefetchers
 * and link previews). No CSRF token, because the switcher must work on pages without a session
 * (sign-in chooser, signed-out, errors) and the worst a forged request can do is change the
 * language; the Origin / Sec-Fetch-Site check still refuses cross-site posts. `return_to` must be
 * one of our own GET pages (safeLocalPath: relative, no `//`, no dot segments), so the switcher is
 * no open redirect. The cookie holds only a language we speak, is not readable by scripts, and is
 * SameSite=Lax; an unknown value in it is ignored (middleware/language.ts). A signed-in user's
 * choice is also kept with their preferences and restored at their next sign-in (complete-login.ts).
 */
export function languageRoutes(deps: WebDeps): Router {
  const router = new Router();
  const publicUrl = deps.config.server.publicUrl;
  const publicOrigin = new URL(publicUrl).origin;
  const https = publicUrl.startsWith('https:');

  router.post('/lang', async function switchLanguage(ctx) {
    refuseCrossSite(ctx, publicOrigin);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (!isLanguage(body.lang)) throw new BridgeError('ERR_BAD_REQUEST', { userMessage: sentence('err.ERR_BAD_REQUEST.language') });
    setLanguageCookie(ctx, body.lang, https);
    // Signed in: remembered for the user too, so their next sign-in on any browser starts in it.
    // Best effort: the page must change language even when the store is unwell.
    if (ctx.state.user) {
      await rememberLanguageOf(deps, ctx.state.user, body.lang).catch((err: unknown) =>
        ctx.state.log.warn(
          { event: 'language-not-remembered', code: toBridgeError(err).code },
          'could not remember the language for the user',
        ),
      );
    }
    ctx.redirect(switcherTarget(body.return_to, '/roles'));
    ctx.status = 303;
  });

  return router;
}
