import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { BridgeError } from '../../errors.js';
import type { Identity } from '../../idp/identity.js';
import type { RoleChoice } from '../../mapping/index.js';
import { checkCsrf, csrfToken } from '../middleware/csrf.js';
import { durationOptions, formatDuration, parseDuration } from '../durations.js';
import type { WebDeps } from '../deps.js';
import type { RoleRequest } from '../role-actions.js';
import { redirectToLogin } from './auth.js';

/** The role picker and its two actions. Roles are recomputed from the identity on every request,
 * so a config change takes effect at once and a posted role is checked against current grants. */
export function roleRoutes(deps: WebDeps): Router {
  const router = new Router();
  const { mapper, views, actions, config } = deps;
  const csrf = checkCsrf(new URL(config.server.publicUrl).origin);

  const renderPicker = (ctx: Context, choices: RoleChoice[], highlight?: string) => {
    const user = ctx.state.user as Identity;
    ctx.type = 'html';
    if (choices.length === 0) {
      ctx.status = 403;
      ctx.body = views.render('no-roles', { title: 'No roles', user, csrf: csrfToken(ctx) });
      return;
    }
    ctx.body = views.render('roles', {
      title: 'Your roles',
      user,
      csrf: csrfToken(ctx),
      accounts: groupByAccount(choices, highlight),
      scripts: ['/assets/picker.js'],
    });
  };

  router.get('/roles', requireBrowserUser, async function showRoles(ctx) {
    renderPicker(ctx, mapper.rolesFor(ctx.state.user));
  });

  router.get('/roles/:alias', requireBrowserUser, async function showOneRole(ctx) {
    const choices = mapper.rolesFor(ctx.state.user);
    const choice = choices.find((c) => c.role.id === ctx.params.alias);
    if (!choice) throw roleNotGranted();
    renderPicker(ctx, [choice], choice.role.id);
  });

  router.post('/roles/console', requirePostUser, csrf, async function openConsole(ctx) {
    const request = roleRequest(ctx, mapper.rolesFor(ctx.state.user));
    if (!actions.openConsole) return notConfigured(ctx, request, 'Opening the console is not configured');
    await actions.openConsole(ctx, request);
  });

  router.post('/roles/credentials', requirePostUser, csrf, async function showCredentials(ctx) {
    const request = roleRequest(ctx, mapper.rolesFor(ctx.state.user));
    if (!actions.showCredentials) return notConfigured(ctx, request, 'CLI credentials are not configured');
    await actions.showCredentials(ctx, request);
  });

  function notConfigured(ctx: Context, request: RoleRequest, heading: string): void {
    ctx.status = 501;
    ctx.type = 'html';
    ctx.body = views.render('not-configured', {
      title: heading,
      heading,
      message: 'Your role choice was accepted, but this rambridge has no STS issuer configured yet.',
      role: request.choice.role,
      user: ctx.state.user,
      csrf: csrfToken(ctx),
    });
  }

  return router;
}

async function requireBrowserUser(ctx: Context, next: Next): Promise<void> {
  if (!ctx.state.user) return redirectToLogin(ctx);
  await next();
}

async function requirePostUser(ctx: Context, next: Next): Promise<void> {
  if (!ctx.state.user) {
    throw new BridgeError('ERR_NOT_SIGNED_IN', { userMessage: 'Your rambridge session has ended.', hint: 'Sign in again.' });
  }
  await next();
}

/** Re-checks the posted role against the roles computed for this user: a forged id or ARN is refused. */
function roleRequest(ctx: Context, choices: RoleChoice[]): RoleRequest {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const choice = choices.find((c) => c.role.id === body.role);
  if (!choice) {
    ctx.state.log.warn({ event: 'role-refused', requested: String(body.role).slice(0, 200) }, 'role not granted');
    throw roleNotGranted();
  }
  return {
    identity: ctx.state.user,
    choice,
    durationSeconds: parseDuration(body.duration, choice.role.maxSessionDuration),
  };
}

function roleNotGranted(): BridgeError {
  return new BridgeError('ERR_ROLE_NOT_GRANTED', {
    userMessage: 'You do not have this role.',
    hint: 'Pick one of the roles on your role page, or ask your administrator for access.',
  });
}

function groupByAccount(choices: RoleChoice[], highlight?: string) {
  const accounts = new Map<string, { id: string; name: string; roles: unknown[] }>();
  for (const { role, reasons } of choices) {
    const account = accounts.get(role.accountId) ?? { id: role.accountId, name: role.accountName, roles: [] };
    accounts.set(role.accountId, account);
    account.roles.push({
      id: role.id,
      arn: role.arn,
      via: role.via,
      description: role.description,
      maxLabel: formatDuration(role.maxSessionDuration),
      durations: durationOptions(role.maxSessionDuration),
      reasons: reasons.map((r) => `${r.grant} (group ${r.group})`).join(', '),
      search: [role.id, role.roleName, role.accountName, role.accountId, role.description ?? ''].join(' ').toLowerCase(),
      highlighted: role.id === highlight,
    });
  }
  return [...accounts.values()];
}
