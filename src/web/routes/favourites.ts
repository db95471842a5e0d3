import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { BridgeError } from '../../errors.js';
import type { Identity } from '../../idp/identity.js';
import { roleNotNamed } from '../../issuance/role-request.js';
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
  const csrf = checkCsrf(new URL(deps.config.server.publicUrl).origin);

  router.post('/roles/favourite', requireSignedIn, csrf, async function toggleFavourite(ctx) {
    const form = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof form.role !== 'string' || form.role === '') throw roleNotNamed();
    const user = ctx.state.user as Identity;
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

/** `true`/`1`/`on` stars, `false`/`0`/`off` unstars; anything else (absent) toggles. */
function favouriteFromForm(value: unknown): boolean | undefined {
  if (value === 'true' || value === '1' || value === 'on') return true;
  if (value === 'false' || value === '0' || value === 'off') return false;
  return undefined;
}

async function requireSignedIn(ctx: Context, next: Next): Promise<void> {
  if (!ctx.state.user)
    throw new BridgeError('ERR_NOT_SIGNED_IN', { userMessage: 'Your rambridge session has ended.', hint: 'Sign in again.' });
  await next();
}
