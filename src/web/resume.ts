import type { Context, Middleware } from 'koa';
import { translator } from './i18n/index.js';
import type { PageNotice } from './pages.js';
import { requirePostUser } from './require-user.js';
import { safeReturnTo } from './return-to.js';

/**
 * A picker action (`POST /roles/console`, `/roles/credentials`) whose browser session has ended:
 * instead of an error page, the browser goes through sign-in and back to the role it was acting
 * on, `/roles/<role>?action=console`, where a notice says what happened and the button it had
 * pressed has the focus. The POST itself is never replayed (its CSRF token belonged to the ended
 * session, and a request that mints credentials must come from the user), and nothing of the form
 * but the role id travels: never the justification, which may be confidential.
 *
 * API and script clients (`Accept: application/json`) keep the coded 401 they handle.
 */
const ACTIONS: Readonly<Record<string, ResumeAction>> = { '/roles/console': 'console', '/roles/credentials': 'credentials' };
export type ResumeAction = 'console' | 'credentials';

/** The button of each action on the picker (its `data-testid`, part of the HTTP contract). */
const BUTTONS: Readonly<Record<ResumeAction, string>> = { console: 'open-console', credentials: 'get-credentials' };

const ROLE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function resumeAfterSignIn(publicOrigin: string): Middleware {
  return requirePostUser({ publicOrigin, backTo: resumePath, event: 'session-ended-resume' });
}

/** `/roles/<role>?action=…` for the posted role and this path's action; the picker when either is unknown. */
function resumePath(ctx: Context): string {
  const role = (ctx.request.body as Record<string, unknown> | undefined)?.role;
  const action = ACTIONS[ctx.path];
  if (typeof role !== 'string' || !ROLE_ID.test(role) || !action) return '/roles';
  return safeReturnTo(`/roles/${role}?${new URLSearchParams({ action }).toString()}`);
}

/**
 * The notice of a role page reached with `?action=` (after `requirePostUser` sent the browser
 * through sign-in): undefined for any other visit.
 */
export function resumeNotice(ctx: Context, roleId: string | undefined): PageNotice | undefined {
  const action = ctx.query.action;
  if (roleId === undefined || (action !== 'console' && action !== 'credentials')) return undefined;
  return {
    text: translator(ctx.state.lang)(action === 'console' ? 'resume.console' : 'resume.credentials'),
    testid: 'resume-notice',
    focus: { roleId, testid: BUTTONS[action] },
  };
}
