import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { JUSTIFICATION_MAX_LENGTH, type BridgeConfig } from '../../config/index.js';
import { BridgeError } from '../../errors.js';
import type { Identity } from '../../idp/identity.js';
import type { RoleChoice } from '../../mapping/index.js';
import { checkCsrf, csrfToken } from '../middleware/csrf.js';
import { durationOptions } from '../durations.js';
import { resolveDestination } from '../../console/destinations.js';
import { formatDurationIn } from '../i18n/format.js';
import { translator, type Language } from '../i18n/index.js';
import { pageLocale } from '../middleware/language.js';
import { checkRoleRequest, maxDuration, roleNotGranted, type CheckedRoleRequest } from '../../issuance/role-request.js';
import type { WebDeps } from '../deps.js';
import { renderNoRoles } from '../no-roles.js';
import { resumeAfterSignIn, resumeNotice } from '../resume.js';
import type { PickerAccount } from '../pages.js';
import { roleRequestFromForm } from '../role-form.js';
import { redirectToLogin } from './auth.js';

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
  const consoleOrigins = [
    config.alibaba.signinUrl,
    config.alibaba.consoleUrl,
    ...config.alibaba.consoleDestinations.map((d) => d.url),
    ...config.roles.flatMap((r) => (r.consoleDestination ? [r.consoleDestination] : [])),
  ].map((url) => new URL(url).origin);

  const renderPicker = (ctx: Context, choices: RoleChoice[], highlight?: string, destination?: string) => {
    const user = signedInUser(ctx);
    const t = translator(ctx.state.lang);
    ctx.state.formActions?.push(...new Set(consoleOrigins));
    ctx.type = 'html';
    if (choices.length === 0) return renderNoRoles(ctx, deps, user);
    ctx.body = views.render(
      'roles',
      {
        title: t('roles.title'),
        user,
        csrf: csrfToken(ctx),
        accounts: groupByAccount(choices, config.elevation, ctx.state.lang, highlight),
        // A deep link may name a console page (`rambridge console ROLE --destination URL`): offered
        // pre-selected, but only when the allow-list accepts it.
        destinations: destination
          ? [
              { label: destination, url: destination, selected: true },
              ...config.alibaba.consoleDestinations.filter((d) => d.url !== destination),
            ]
          : config.alibaba.consoleDestinations,
        minJustification: config.elevation.minJustificationLength,
        maxJustification: JUSTIFICATION_MAX_LENGTH,
        scripts: ['/assets/picker.js'],
        notice: resumeNotice(ctx, highlight),
      },
      pageLocale(ctx),
    );
  };

  router.get('/roles', requireBrowserUser, async function showRoles(ctx) {
    renderPicker(ctx, mapper.rolesFor(signedInUser(ctx)));
  });

  router.get('/roles/:alias', requireBrowserUser, async function showOneRole(ctx) {
    const choices = mapper.rolesFor(signedInUser(ctx));
    const choice = choices.find((c) => c.role.id === ctx.params.alias);
    if (!choice) throw roleNotGranted();
    const requested = typeof ctx.query.destination === 'string' ? ctx.query.destination : undefined;
    const destination = requested && resolveDestination(requested, choice.role, config.alibaba);
    renderPicker(ctx, [choice], choice.role.id, destination);
  });

  const roleRequest = (ctx: Context): CheckedRoleRequest =>
    checkRoleRequest(
      roleRequestFromForm(ctx.request.body),
      signedInUser(ctx),
      mapper.rolesFor(signedInUser(ctx)),
      config.elevation,
      deps.clock.now(),
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

async function requireBrowserUser(ctx: Context, next: Next): Promise<void> {
  if (!ctx.state.user) return redirectToLogin(ctx);
  await next();
}

/** The signed-in user of a route behind requireBrowserUser / requirePostUser. */
function signedInUser(ctx: Context): Identity {
  const user = ctx.state.user;
  if (!user) throw new BridgeError('ERR_NOT_SIGNED_IN', { userMessage: 'Your rambridge session has ended.', hint: 'Sign in again.' });
  return user;
}

function groupByAccount(choices: RoleChoice[], elevation: BridgeConfig['elevation'], lang: Language, highlight?: string): PickerAccount[] {
  const t = translator(lang);
  const accounts = new Map<string, PickerAccount>();
  for (const { role, reasons } of choices) {
    const account = accounts.get(role.accountId) ?? { id: role.accountId, name: role.accountName, roles: [] };
    accounts.set(role.accountId, account);
    account.roles.push({
      id: role.id,
      arn: role.arn,
      viaLabel:
        role.via === 'chain'
          ? t('roles.chainedFrom', { role: role.chainFrom ?? '' })
          : t('roles.via', { protocol: role.via.toUpperCase() }),
      elevated: role.elevated,
      description: role.description,
      maxLabel: formatDurationIn(lang, maxDuration(role, elevation)),
      durations: durationOptions(maxDuration(role, elevation), lang),
      reasons: reasons.map((r) => t('roles.reason', { grant: r.grant, group: r.group })).join(t('roles.listSeparator')),
      search: [role.id, role.roleName, role.accountName, role.accountId, role.description ?? ''].join(' ').toLowerCase(),
      highlighted: role.id === highlight,
    });
  }
  return [...accounts.values()];
}
