import Router from '@koa/router';
import type { Context } from 'koa';
import { roleNotNamed } from '../../issuance/role-request.js';
import { requirePostUser, signedInUser } from '../require-user.js';
import type { WebDeps } from '../deps.js';
import { checkCsrf } from '../middleware/csrf.js';
import { safeReturnTo } from '../return-to.js';
import { setFavourite } from '../role-preferences.js';

/**
 * The picker's star: `POST /roles/favourite` with `_csrf`, `role`, optional `favourite` (`true` /
 * `false`; absent toggles) and `return_to`. Answers JSON `{role, favourite}` to the picker's script
 * (`Accept: application/json`), else 303 back to `return_to` (our own /roles… paths only) so the
 * form works without JavaScript and a reload does not post again. Shared with the CLI through the
 * store (src/preferences/).
 */
export function favouriteRoutes(deps: WebDeps): Router {
  const router = new Router();
  const publicOrigin = new URL(deps.config.server.publicUrl).origin;
  const csrf = checkCsrf(publicOrigin);

  // A star pressed after the session ended: sign in, and back to the page it was pressed on.
  const requireSignedIn = requirePostUser({ publicOrigin, backTo: (ctx) => safeReturnTo(formOf(ctx).return_to) });

  router.post('/roles/favourite', requireSignedIn, csrf, async function toggleFavourite(ctx) {
    const form = formOf(ctx);
    if (typeof form.role !== 'string' || form.role === '') throw roleNotNamed();
    const user = signedInUser(ctx);
    const favourite = await setFavourite(deps, user, deps.mapper.rolesFor(user), form.role, favouriteFromForm(form.favourite));
    if (ctx.accepts('html', 'json') === 'json') {
      ctx.body = { role: form.role, favourite };
      return;
    }
    ctx.status = 303;
    ctx.redirect(safeReturnTo(form.return_to));
  });

  return router;
}

const formOf = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;

/** `true`/`1`/`on` stars, `false`/`0`/`off` unstars; anything else (absent) toggles. */
function favouriteFromForm(value: unknown): boolean | undefined {
  if (value === 'true' || value === '1' || value === 'on') return true;
  if (value === 'false' || value === '0' || value === 'off') return false;
  return undefined;
}
