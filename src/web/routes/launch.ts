import Router from '@koa/router';
import type { Context } from 'koa';
import { DURATION_BOUNDS, JUSTIFICATION_MAX_LENGTH } from '../../config/index.js';
import { destinationForService, resolveDestination } from '../../console/destinations.js';
import { BridgeError, sentence } from '../../errors.js';
import { checkDuration } from '../../issuance/durations.js';
import { maxDuration, nothingToOffer, OFFER_MARGIN_SECONDS, refuseRole, secondsLeft } from '../../issuance/role-request.js';
import type { RoleChoice } from '../../mapping/index.js';
import { matchRoles } from '../../wire/role-match.js';
import { consoleFormOrigins } from '../console-origins.js';
import type { WebDeps } from '../deps.js';
import { durationFromForm } from '../durations.js';
import { errorText } from '../i18n/error-text.js';
import { formatDurationIn } from '../i18n/format.js';
import { translator } from '../i18n/index.js';
import { csrfToken } from '../middleware/csrf.js';
import { pageLocale } from '../middleware/language.js';
import { requireUser, signedInSessionEnd, signedInUser } from '../require-user.js';

/**
 * `GET /roles/:role/console[?service=ecs[&region=…]|?destination=URL][&duration=SECONDS]`: the
 * console itself, not the picker (`rambridge console ROLE -s ecs` opens this). The page holds the
 * picker's own POST form to /roles/console, filled in, so every check and the audit stay where
 * they are. A GET must not sign anyone in on another site's say-so: the form submits itself only
 * when the browser says the navigation was typed, opened by another program (`Sec-Fetch-Site:
 * none`) or came from the bridge itself (`same-origin`). Cross-site, same-site or without the
 * header, the user presses the button. Elevated roles always wait for a written justification.
 * The form posts the length asked for (the role's maximum when none is); as on the picker, the page
 * says it is no longer than what is left of the browser session (less OFFER_MARGIN_SECONDS, rounded
 * down to a minute), and issuance cuts it so. Under 900 s the page says to sign in again, and neither
 * submits nor can be.
 */
export function launchRoutes(deps: WebDeps): Router {
  const router = new Router();
  const { config, mapper, views } = deps;
  const formOrigins = consoleFormOrigins(config);

  router.get('/roles/:role/console', requireUser, async function launchConsole(ctx) {
    const user = signedInUser(ctx);
    const choice = grantedRole(mapper.rolesFor(user), ctx.params.role ?? '');
    if (!choice) throw refuseRole(ctx.params.role ?? '', ctx.state.log);
    const { role } = choice;
    const { service, region, destination: requested, duration } = launchQuery(ctx);

    let destination = '';
    const t = translator(ctx.state.lang);
    let destinationLabel = t('launch.consoleHome');
    if (service !== undefined) {
      const found = destinationForService(service, region, config.alibaba);
      destination = resolveDestination(found.url, role, config.alibaba);
      destinationLabel = found.region && !found.label.includes(found.region) ? `${found.label} (${found.region})` : found.label;
    } else if (requested !== undefined && requested !== '') {
      destination = resolveDestination(requested, role, config.alibaba);
      destinationLabel = destination;
    }

    const max = maxDuration(role, config.elevation);
    const requestedSeconds = duration === undefined ? max : checkDuration(durationFromForm(duration), max);
    const leftSeconds = secondsLeft({ now: deps.clock.now(), endsAt: signedInSessionEnd(ctx) });
    const offerableSeconds = leftSeconds - OFFER_MARGIN_SECONDS;
    const ending = offerableSeconds < DURATION_BOUNDS.min ? errorText(nothingToOffer(leftSeconds), ctx.state.lang) : undefined;
    // The form posts the length asked for: issuance cuts it, and keeps what was asked for in the audit
    // and as the user's last length. The label says how much of it is offered, in whole minutes.
    const shownSeconds = ending ? requestedSeconds : Math.min(requestedSeconds, Math.floor(offerableSeconds / 60) * 60);
    const fetchSite = ctx.get('Sec-Fetch-Site');
    const autoSubmit = !ending && !role.elevated && (fetchSite === 'none' || fetchSite === 'same-origin');

    ctx.state.formActions?.push(...formOrigins);
    ctx.type = 'html';
    ctx.body = views.render(
      'launch',
      {
        title: t('launch.title', { role: role.id }),
        user,
        csrf: csrfToken(ctx),
        role,
        durationSeconds: requestedSeconds,
        durationLabel: formatDurationIn(ctx.state.lang, shownSeconds),
        destination,
        destinationLabel,
        autoSubmit,
        sessionEnding: ending,
        minJustification: config.elevation.minJustificationLength,
        maxJustification: JUSTIFICATION_MAX_LENGTH,
        // Never both: a page that may submit itself has no session-ending alert.
        scripts: autoSubmit ? ['/assets/launch.js'] : ending ? ['/assets/session-ending.js'] : [],
      },
      // Its language switcher returns to the role in the picker: coming back to this page from the
      // bridge's own POST /lang would open the console by itself (see switcherTarget).
      { ...pageLocale(ctx), returnTo: `/roles/${encodeURIComponent(role.id)}` },
    );
  });

  return router;
}

/**
 * The granted role a link names: its id or an alias (RAM role name, ARN, id without its account
 * prefix), by the rules `rambridge` itself uses (`matchRoles`). A fuzzy guess is not enough for a
 * page that may sign the user in by itself, and several roles for one alias is an error.
 */
export function grantedRole(choices: readonly RoleChoice[], wanted: string): RoleChoice | undefined {
  const { by, matches } = matchRoles(
    choices.map((c) => c.role),
    wanted,
  );
  if (by !== 'id' && by !== 'alias') return undefined;
  if (matches.length > 1) {
    throw new BridgeError('ERR_BAD_REQUEST', {
      userMessage: sentence('err.ERR_BAD_REQUEST.severalRoles', {
        query: wanted.slice(0, 100),
        roles: matches.map((r) => r.id).join(', '),
      }),
      hint: sentence('hint.useRoleId'),
    });
  }
  return choices.find((c) => c.role === matches[0]);
}

interface LaunchQuery {
  service?: string;
  region?: string;
  destination?: string;
  duration?: string;
}

/** The query, each parameter at most once; a service or a destination, not both. */
function launchQuery(ctx: Context): LaunchQuery {
  const one = (name: keyof LaunchQuery): string | undefined => {
    const value = ctx.query[name];
    if (value === undefined || typeof value === 'string') return value;
    throw new BridgeError('ERR_BAD_REQUEST', { userMessage: sentence('err.ERR_BAD_REQUEST.once', { name }) });
  };
  const query: LaunchQuery = { service: one('service'), region: one('region'), destination: one('destination'), duration: one('duration') };
  if (query.service !== undefined && query.destination !== undefined) {
    throw new BridgeError('ERR_BAD_REQUEST', { userMessage: sentence('err.ERR_BAD_REQUEST.serviceOrDestination') });
  }
  if (query.region !== undefined && query.service === undefined) {
    throw new BridgeError('ERR_BAD_REQUEST', { userMessage: sentence('err.ERR_BAD_REQUEST.regionNeedsService') });
  }
  return query;
}
