import type { Context } from 'koa';
import type { BridgeConfig } from '../config/index.js';
import type { Identity } from '../idp/identity.js';
import { compileGlob } from '../mapping/index.js';
import { shellQuote } from '../shell-quote.js';
import type { WebDeps } from './deps.js';
import { groupClaimNames } from './group-claims.js';
import { translator } from './i18n/index.js';
import { csrfToken } from './middleware/csrf.js';
import { pageLocale } from './middleware/language.js';
import type { NoRolesPage } from './pages.js';

/**
 * The page of a signed-in user whom no grant gives a role (403). It speaks to that user: who to ask
 * (`support.contact`, `support.url`) and what to tell them (their groups). The `rambridge explain`
 * command that shows why is for administrators (`support.adminGroups`) only: to anyone else it is
 * a command they cannot run against a configuration they do not have.
 */
export function renderNoRoles(ctx: Context, deps: Pick<WebDeps, 'config' | 'views'>, user: Identity): void {
  const { config, views } = deps;
  ctx.status = 403;
  ctx.type = 'html';
  ctx.body = views.render(
    'no-roles',
    { title: translator(ctx.state.lang)('noRoles.title'), user, csrf: csrfToken(ctx), ...noRolesPage(config, user) },
    pageLocale(ctx),
  );
}

export function noRolesPage(config: BridgeConfig, user: Identity): NoRolesPage {
  const { contact, url } = config.support;
  return {
    groupClaims: groupClaimNames(config, user.idp),
    support: { ...(contact ? { contact } : {}), ...(url ? { url } : {}) },
    ...(isAdministrator(config, user) ? { adminCommand: explainCommand(user) } : {}),
  };
}

/**
 * Whether one of the user's groups is (or matches a glob) in `support.adminGroups`, signed in
 * through an IdP of `support.adminIdps` when it is set (group names are each IdP's own).
 */
export function isAdministrator(config: Pick<BridgeConfig, 'support'>, user: Pick<Identity, 'groups' | 'idp'>): boolean {
  const { adminIdps } = config.support;
  if (adminIdps && !adminIdps.includes(user.idp)) return false;
  const patterns = config.support.adminGroups.map(compileGlob);
  return user.groups.some((group) => patterns.some((matches) => matches(group)));
}

/** `rambridge explain` for exactly this user's IdP, groups and email, quoted for a POSIX shell. */
function explainCommand(user: Identity): string {
  // A group --groups would not read back as sent (one holding a comma, or space at either end,
  // which it splits or trims) goes whole in a --group of its own.
  const [listed, whole] = [user.groups.filter(listable), user.groups.filter((g) => !listable(g))];
  const parts = ['rambridge explain -c CONFIG.yaml', '--idp', shellQuote(user.idp), '--groups', shellQuote(listed.join(','))];
  for (const group of whole) parts.push('--group', shellQuote(group));
  if (user.email) parts.push('--email', shellQuote(user.email));
  // Methods count only as the exact names hasMfa knows: one --amr would misread ("pwd,mfa" as mfa)
  // names no grant can be met by, so they are left out.
  const amr = user.amr.filter(listable);
  if (amr.length > 0) parts.push('--amr', shellQuote(amr.join(',')));
  return parts.join(' ');
}

/** A value a comma-separated option reads back as it was: no comma, no space at either end, not empty. */
const listable = (value: string) => value !== '' && !value.includes(',') && value === value.trim();
