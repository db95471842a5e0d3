import Router from '@koa/router';
import type { WebDeps } from '../deps.js';
import { credentialsView } from '../console-actions.js';
import { translator } from '../i18n/index.js';
import { csrfToken } from '../middleware/csrf.js';
import { pageLocale } from '../middleware/language.js';
import type { ShownCredentialsStore } from '../shown-credentials.js';
import { requireUser, signedInUser } from '../require-user.js';

/**
 * `GET /roles/credentials/<id>`: the page `POST /roles/credentials` redirects to (303), showing the
 * credentials it minted, to the session that minted them, for as long as they are kept
 * (shown-credentials.ts). Reloading it shows them again; once they are gone it says so and
 * offers the role again rather than an error. Never cached (`no-store`): it holds secrets.
 */
export function credentialsRoutes(deps: WebDeps, shown: ShownCredentialsStore): Router {
  const router = new Router();
  const { config, views, clock } = deps;

  router.get('/roles/credentials/:id', requireUser, async function showKeptCredentials(ctx) {
    const user = signedInUser(ctx);
    const found = await shown.find(ctx.params.id ?? '', user, ctx.session?.csrf);
    const t = translator(ctx.state.lang);
    const role = found.kind === 'shown' ? config.roles.find((r) => r.id === found.shown.roleId) : undefined;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    ctx.type = 'html';
    if (found.kind === 'gone' || !role) {
      const roleId = found.kind === 'gone' ? found.roleId : found.shown.roleId;
      ctx.body = views.render(
        'credentials-gone',
        { title: t('credentialsGone.title'), roleId, user, csrf: csrfToken(ctx) },
        pageLocale(ctx),
      );
      return;
    }
    const { shown: kept } = found;
    ctx.body = views.render(
      'credentials',
      {
        title: t('credentials.title', { role: role.id }),
        role,
        ...credentialsView(
          {
            roleSessionName: kept.roleSessionName,
            credentials: { ...kept, expiration: new Date(kept.expiration) },
          },
          role.id,
          ctx.state.lang,
          clock.now(),
        ),
        user,
        csrf: csrfToken(ctx),
        scripts: ['/assets/page.js'],
      },
      pageLocale(ctx),
    );
  });

  return router;
}
