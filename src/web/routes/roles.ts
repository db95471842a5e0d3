import Router from '@koa/router';
import type { Context } from 'koa';
import { DURATION_BOUNDS, JUSTIFICATION_MAX_LENGTH, type Role } from '../../config/index.js';
import { toBridgeError } from '../../errors.js';
import type { Identity } from '../../idp/identity.js';
import type { RoleChoice } from '../../mapping/index.js';
import { checkCsrf, csrfToken } from '../middleware/csrf.js';
import { resolveDestination } from '../../console/destinations.js';
import { errorText } from '../i18n/error-text.js';
import { translator } from '../i18n/index.js';
import { pageLocale } from '../middleware/language.js';
import {
  checkRoleRequest,
  nothingToOffer,
  OFFER_MARGIN_SECONDS,
  refuseRole,
  secondsLeft,
  type CheckedRoleRequest,
} from '../../issuance/role-request.js';
import type { WebDeps } from '../deps.js';
import { renderNoRoles } from '../no-roles.js';
import { resumeAfterSignIn, resumeNotice } from '../resume.js';
import type { Pages } from '../pages.js';
import { pickerGroups } from '../picker-view.js';
import { rolePreferencesFor } from '../role-preferences.js';
import { matchRoles } from '../../wire/role-match.js';
import { roleRequestFromForm } from '../role-form.js';
import { consoleFormOrigins } from '../console-origins.js';
import { requireUser, signedInSessionEnd, signedInUser } from '../require-user.js';

/** Longer filters or role names than this are cut: nobody types more, and fuzzy matching is per character. */
const MAX_QUERY_LENGTH = 200;

/** The role picker and its two actions. Roles are recomputed from the identity on every request,
 * so a config change takes effect at once and a posted role is checked against current grants. */
export function roleRoutes(deps: WebDeps): Router {
  const router = new Router();
  const { mapper, views, actions, config } = deps;
  const csrf = checkCsrf(new URL(config.server.publicUrl).origin);
  // An action whose session has ended goes through sign-in and back to its role (web/resume.ts).
  const requirePostUser = resumeAfterSignIn(new URL(config.server.publicUrl).origin);

  // "Open console" answers with a redirect chain through the sign-in service to the console, and
  // CSP form-action governs redirects after a form submission too.
  const consoleOrigins = consoleFormOrigins(config);

  interface PickerView {
    /** Every role the user has (the mapping's answer, computed once per request). */
    granted: readonly RoleChoice[];
    /** The roles shown: all of them, or those a deep link names. */
    choices: readonly RoleChoice[];
    /** The user's favourites and recents: on the full picker, not on a deep link. */
    withPreferences: boolean;
    query?: string;
    highlight?: string;
    destination?: string;
    deepLink?: Pages['roles']['deepLink'];
  }

  const renderPicker = async (ctx: Context, view: PickerView) => {
    const user = signedInUser(ctx);
    const t = translator(ctx.state.lang);
    ctx.state.formActions?.push(...consoleOrigins);
    ctx.type = 'html';
    const all = view.granted;
    if (all.length === 0) return renderNoRoles(ctx, deps, user);
    const now = deps.clock.now();
    // Nothing is offered longer than what is left of this browser session (checkRoleRequest cuts it
    // so), less a margin for the time it takes to press a button; nothing at all under 900 s.
    const leftSeconds = secondsLeft({ now, endsAt: signedInSessionEnd(ctx) });
    const offerableSeconds = leftSeconds - OFFER_MARGIN_SECONDS;
    const ending = offerableSeconds < DURATION_BOUNDS.min ? errorText(nothingToOffer(leftSeconds), ctx.state.lang) : undefined;
    // Back from sign-in to a role whose buttons are disabled: the alert is the message, and takes the focus (session-ending.js).
    const resumed = resumeNotice(ctx, view.highlight);
    const groups = pickerGroups({
      choices: view.choices,
      elevation: config.elevation,
      lang: ctx.state.lang,
      now,
      offerableSeconds,
      // The deep link's few roles are shown by account; the recents still say when each was last used.
      preferences: await preferencesOrNone(ctx, user, all),
      grouped: view.withPreferences,
      query: view.query,
      highlight: view.highlight,
    });
    const { destination } = view;
    ctx.body = views.render(
      'roles',
      {
        title: view.deepLink?.notGranted?.heading ?? t('roles.title'),
        user,
        csrf: csrfToken(ctx),
        groups,
        shown: groups.reduce((n, g) => n + g.roles.filter((r) => !r.hidden).length, 0),
        query: view.query ?? '',
        // `q` re-encoded (`+` for a space): return_to refuses a decoded space (return-to.ts).
        here: view.query ? `/roles?${new URLSearchParams({ q: view.query }).toString()}` : ctx.originalUrl,
        deepLink: view.deepLink,
        // A deep link may name a console page (`rambridge console ROLE --destination URL`): offered
        // pre-selected, but only when the allow-list accepts it.
        destinations: destination
          ? [
              { label: destination, url: destination, selected: true },
              ...config.alibaba.consoleDestinations.filter((d) => d.url !== destination),
            ]
          : config.alibaba.consoleDestinations,
        sessionEnding: ending && { ...ending, focus: resumed !== undefined },
        minJustification: config.elevation.minJustificationLength,
        maxJustification: JUSTIFICATION_MAX_LENGTH,
        scripts: ending ? ['/assets/picker.js', '/assets/session-ending.js'] : ['/assets/picker.js'],
        notice: ending ? undefined : resumed,
      },
      pageLocale(ctx),
    );
  };

  /**
   * Favourites and recents make the picker better, not possible: when the store cannot say (a
   * Redis hiccup), the roles are shown without them, as issuance records them best-effort too.
   */
  const preferencesOrNone = async (ctx: Context, user: Identity, all: readonly RoleChoice[]) => {
    try {
      return await rolePreferencesFor(deps, user, all);
    } catch (err) {
      ctx.state.log.warn({ event: 'preferences-not-read', errorCode: toBridgeError(err).code }, 'role preferences not read');
      return undefined;
    }
  };

  // `?q=` filters on the server with the page script's matcher and fields, so the search works
  // without JavaScript too (the form around the field is a GET to this page).
  router.get('/roles', requireUser, async function showRoles(ctx) {
    const q = ctx.query.q;
    const query = typeof q === 'string' ? q.slice(0, MAX_QUERY_LENGTH) : '';
    const granted = mapper.rolesFor(signedInUser(ctx));
    await renderPicker(ctx, { granted, choices: granted, withPreferences: true, query });
  });

  /**
   * `/roles/ROLE`: a link to one role, by the names `rambridge` accepts (`matchRoles`: id, RAM role
   * name, ARN, id without its account prefix, else fuzzy). One role: it alone, highlighted; several:
   * those, saying how many; none of the user's: 403 ERR_ROLE_NOT_GRANTED, on the same page, with
   * the way back to all roles. Never says whether a role the user lacks exists.
   */
  router.get('/roles/:alias', requireUser, async function showLinkedRoles(ctx) {
    const wanted = String(ctx.params.alias ?? '').slice(0, MAX_QUERY_LENGTH);
    const choices = mapper.rolesFor(signedInUser(ctx));
    const named = new Set<Role>(
      matchRoles(
        choices.map((c) => c.role),
        wanted,
      ).matches,
    );
    const linked = choices.filter((c) => named.has(c.role));
    if (linked.length === 0 && choices.length > 0) {
      const refused = refuseRole(wanted, ctx.state.log);
      deps.refusals.observe(ctx, refused);
      ctx.status = refused.status;
      const { message, hint } = errorText(refused, ctx.state.lang);
      const t = translator(ctx.state.lang);
      return renderPicker(ctx, {
        granted: choices,
        choices: [],
        withPreferences: false,
        deepLink: { query: wanted, matches: 0, notGranted: { heading: t('error.heading.403'), message, hint, code: refused.code } },
      });
    }
    const requested = typeof ctx.query.destination === 'string' ? ctx.query.destination : undefined;
    // Checked against each role shown: a page the allow-list refuses for one of them is refused.
    const destination = requested ? linked.map((c) => resolveDestination(requested, c.role, config.alibaba))[0] : undefined;
    await renderPicker(ctx, {
      granted: choices,
      choices: linked,
      withPreferences: false,
      highlight: linked.length === 1 ? linked[0]!.role.id : undefined,
      destination,
      deepLink: { query: wanted, matches: linked.length },
    });
  });

  const roleRequest = (ctx: Context): CheckedRoleRequest =>
    checkRoleRequest(
      roleRequestFromForm(ctx.request.body),
      signedInUser(ctx),
      mapper.rolesFor(signedInUser(ctx)),
      config.elevation,
      { now: deps.clock.now(), endsAt: signedInSessionEnd(ctx) },
      ctx.state.log,
    );

  router.post('/roles/console', requirePostUser, csrf, async function openConsole(ctx) {
    const request = roleRequest(ctx);
    if (!actions.openConsole) return notConfigured(ctx, request, 'notConfigured.console');
    await actions.openConsole(ctx, request);
  });

  router.post('/roles/credentials', requirePostUser, csrf, async function showCredentials(ctx) {
    const request = roleRequest(ctx);
    if (!actions.showCredentials) return notConfigured(ctx, request, 'notConfigured.credentials');
    await actions.showCredentials(ctx, request);
  });

  function notConfigured(
    ctx: Context,
    request: CheckedRoleRequest,
    headingKey: 'notConfigured.console' | 'notConfigured.credentials',
  ): void {
    const t = translator(ctx.state.lang);
    ctx.status = 501;
    ctx.type = 'html';
    ctx.body = views.render(
      'not-configured',
      {
        title: t(headingKey),
        heading: t(headingKey),
        message: t('notConfigured.message'),
        role: request.choice.role,
        user: ctx.state.user,
        csrf: csrfToken(ctx),
      },
      pageLocale(ctx),
    );
  }

  return router;
}
