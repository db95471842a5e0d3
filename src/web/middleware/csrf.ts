import { randomBytes } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { BridgeError, sentence } from '../../errors.js';
import { sameSecret } from '../../secret-compare.js';

/** The session's synchronizer token, created on first use. Rendered into every POST form. */
export function csrfToken(ctx: Context): string {
  const session = ctx.session as { csrf?: string } | null;
  if (!session) throw new TypeError('csrfToken needs a session');
  session.csrf ??= randomBytes(32).toString('base64url');
  return session.csrf;
}

/**
 * Refuses a state-changing POST unless it carries the session's token and, when the browser says
 * where it comes from, comes from our own origin (docs/security-reference.md §5: token + Origin, both).
 */
export function checkCsrf(publicOrigin: string): Middleware {
  return async (ctx, next) => {
    requireCsrfToken(ctx, publicOrigin);
    await next();
  };
}

/** `checkCsrf` for a route that decides first whether there is anything to protect. */
export function requireCsrfToken(ctx: Context, publicOrigin: string): void {
  refuseCrossSite(ctx, publicOrigin);
  const expected = (ctx.session as { csrf?: string } | null)?.csrf;
  const body = ctx.request.body as Record<string, unknown> | undefined;
  const given = typeof body?._csrf === 'string' ? body._csrf : '';
  if (!expected || !sameSecret(given, expected)) {
    throw new BridgeError('ERR_CSRF', {
      userMessage: sentence('err.ERR_CSRF'),
      hint: sentence('hint.reload'),
    });
  }
}

/** Refuses a POST the browser says comes from another site (the Origin half of `checkCsrf`). */
export function refuseCrossSite(ctx: Context, publicOrigin: string): void {
  const origin = ctx.get('Origin');
  const fetchSite = ctx.get('Sec-Fetch-Site');
  // Our pages send `Referrer-Policy: no-referrer`, under which browsers post `Origin: null`;
  // Sec-Fetch-Site still tells same-origin from cross-site, so `null` alone proves nothing either way.
  const foreignOrigin = origin !== '' && origin !== 'null' && origin !== publicOrigin;
  const crossSite = fetchSite !== '' && fetchSite !== 'same-origin' && fetchSite !== 'none';
  if (foreignOrigin || crossSite) {
    throw new BridgeError('ERR_CSRF', {
      userMessage: sentence('err.ERR_CSRF.crossSite'),
      detail: { origin, fetchSite },
    });
  }
}
