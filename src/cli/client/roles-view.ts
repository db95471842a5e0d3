import { roleName, type RoleInfo } from './api.js';
import { formatDuration, formatRemaining } from './duration.js';
import { fuzzyScore } from '../../wire/fuzzy.js';
import type { ServerRoles } from './role-book.js';
import { t } from '../i18n/index.js';

/** A role as `rambridge roles` shows it. */
export interface ListedRole extends RoleInfo {
  favourite: boolean;
  /** Milliseconds since the epoch, when `creds`/`exec` last used it here. */
  lastUsedAt?: number;
}

/**
 * Filters (fuzzy, over id, RAM role name, account name and id, description) and orders the roles:
 * favourites first, then the recently used, most recent first, then the server's order.
 */
export function listRoles(
  roles: readonly RoleInfo[],
  remembered: Pick<ServerRoles, 'favourites' | 'recents'>,
  filter?: string,
): ListedRole[] {
  const lastUse = new Map(remembered.recents.map((r) => [r.role, r.usedAt]));
  const matching = filter
    ? roles.filter((r) => fuzzyScore(filter, [r.id, roleName(r), r.accountName, r.accountId, r.description ?? '']) !== undefined)
    : roles;
  const listed = matching.map((r) => ({ ...r, favourite: remembered.favourites.includes(r.id), lastUsedAt: lastUse.get(r.id) }));
  const rank = (r: ListedRole) => (r.favourite ? 2 : 0) + (r.lastUsedAt !== undefined ? 1 : 0);
  // Array.prototype.sort is stable: equal ranks keep the server's order.
  return listed.sort((a, b) => rank(b) - rank(a) || (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0));
}

/** The roles grouped under their account, one line each, with a legend. */
export function renderRoles(roles: readonly ListedRole[], now: number): string {
  const accounts = new Map<string, ListedRole[]>();
  for (const role of roles) accounts.set(role.accountId, [...(accounts.get(role.accountId) ?? []), role]);
  const idWidth = Math.max(...roles.map((r) => r.id.length));
  const out: string[] = [];
  for (const group of accounts.values()) {
    out.push(`${group[0]!.accountName}  ${group[0]!.accountId}`);
    for (const r of group) {
      const notes = [`up to ${formatDuration(r.maxSessionDuration)}`];
      if (r.elevated) notes.push('elevated: needs --justification');
      if (r.lastUsedAt !== undefined) notes.push(`used ${formatRemaining(now - r.lastUsedAt)} ago`);
      out.push(`  ${r.favourite ? '★' : ' '} ${r.id.padEnd(idWidth)}  ${r.description ?? roleName(r)}  (${notes.join(', ')})`);
    }
    out.push('');
  }
  out.push(t('rolesLegend'));
  return `${out.join('\n')}\n`;
}
