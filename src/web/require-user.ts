import type { Context, Middleware } from 'koa';
import { BridgeError, sentence } from '../errors.js';
import type { Identity } from '../idp/identity.js';
import { refuseCrossSite } from './middleware/csrf.js';
import { loginPath, redirectToLogin } from './routes/auth.js';

/**
 * The guards of the routes a signed-in browser uses, one per kind of request, and the user they
 * let through. A newcomer's route picks one of these:
 * - a page (GET): `requireUser`, which sends a browser without a session to sign in and back;
 * - a form (POST): `requirePostUser`, which sends it to sign in and back to a page of the form's
 *   choosing (the POST itself is never replayed: its CSRF token belonged to the ended session);
 * then reads the user with `signedInUser(ctx)`. API and script clients get the coded 401 instead.
 */

/** ERR_NOT_SIGNED_IN, as every browser route says it. */
function sessionEnded(): BridgeError {
  return new BridgeError('ERR_NOT_SIGNED_IN', { userMessage: sentence('err.ERR_NOT_SIGNED_IN'), hint: sentence('hint.signInAgain') });
}

/** The signed-in user of a route behind `requireUser` or `requirePostUser`. */
export function signedInUser(ctx: Context): Identity {
  const user = ctx.state.user;
  if (!user) throw sessionEnded();
  return user;
}

/** When the signed-in browser session of `signedInUser` ends, absolutely (ms): credentials must not outlive it. */
export function signedInSessionEnd(ctx: Context): number {
  const endsAt = ctx.state.sessionEndsAt;
  if (!ctx.state.user || endsAt === undefined) throw sessionEnded();
  return endsAt;
}

/** A page: without a session, to sign in and back to this page. */
export const requireUser: Middleware = async (ctx, next) => {
  if (!ctx.state.user) return redirectToLogin(ctx);
  await next();
};

/**
 * A form: without a session, a browser goes to sign in and back to `backTo(ctx)` (303); another
 * site's form does not get to start that round trip, and a JSON client gets the coded 401.
 * `event` names the log line that says so.
 */
export function requirePostUser(options: { publicOrigin: string; backTo: (ctx: Context) => string; event?: string }): Middleware {
  return async function requirePostUser(ctx, next) {
    if (ctx.state.user) {
      await next();
      return;
    }
    if (ctx.accepts('json', 'html') !== 'html') throw sessionEnded();
    refuseCrossSite(ctx, options.publicOrigin);
    if (options.event)
      ctx.state.log.info({ event: options.event, path: ctx.path }, 'form posted after the session ended: signing in again');
    ctx.redirect(loginPath(options.backTo(ctx), true));
    ctx.status = 303;
  };
}
