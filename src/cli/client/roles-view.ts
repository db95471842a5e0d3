import { roleName, serverKeepsFavourites, type RoleInfo } from './api.js';
import { formatRemaining, formatSessionLength, MIN_DURATION_SECONDS, OFFER_MARGIN_SECONDS } from './duration.js';
import { fuzzyScore } from '../../wire/fuzzy.js';
import type { ServerRoles } from './role-book.js';
import { t } from '../i18n/index.js';

/** A role as `rambridge roles` shows it. */
export interface ListedRole extends Omit<RoleInfo, 'favourite' | 'lastUsedAt'> {
  favourite: boolean;
  /** Milliseconds since the epoch: the latest use, here (`creds`/`exec`) or, as the server reports it, anywhere (web included). */
  lastUsedAt?: number;
}

/**
 * Filters (fuzzy, over id, RAM role name, account name and id, description) and orders the roles:
 * favourites first, then the recently used, most recent first, then the server's order.
 *
 * Favourites come from the server when it keeps them (shared with the web picker); from this
 * machine's role book otherwise (an older server). Last use is the later of the server's record
 * and this machine's (cached credentials are used without the server knowing).
 */
export function listRoles(
  roles: readonly RoleInfo[],
  remembered: Pick<ServerRoles, 'favourites' | 'recents'>,
  filter?: string,
): ListedRole[] {
  const shared = serverKeepsFavourites(roles);
  const lastUse = new Map(remembered.recents.map((r) => [r.role, r.usedAt]));
  const matching = filter
    ? roles.filter((r) => fuzzyScore(filter, [r.id, roleName(r), r.accountName, r.accountId, r.description ?? '']) !== undefined)
    : roles;
  const listed = matching.map(({ favourite, lastUsedAt, ...r }): ListedRole => {
    const uses = [lastUse.get(r.id), lastUsedAt === undefined ? undefined : Date.parse(lastUsedAt)].filter(
      (t): t is number => t !== undefined && !Number.isNaN(t),
    );
    return {
      ...r,
      favourite: shared ? favourite === true : remembered.favourites.includes(r.id),
      lastUsedAt: uses.length > 0 ? Math.max(...uses) : undefined,
    };
  });
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
      const notes = [upTo(r)];
      if (r.elevated) notes.push(t('roleElevated'));
      if (r.lastUsedAt !== undefined) notes.push(t('roleUsedAgo', { ago: formatRemaining(now - r.lastUsedAt) }));
      out.push(
        `  ${r.favourite ? '★' : ' '} ${r.id.padEnd(idWidth)}  ${r.description ?? roleName(r)}  ${t('roleNotes', { notes: notes.join(t('roleNoteSeparator')) })}`,
      );
    }
    out.push('');
  }
  out.push(t('rolesLegend'));
  return `${out.join('\n')}\n`;
}

/**
 * The role's maximum, and what the CLI session can get now (`maxDurationNow`) when that is less:
 * the session ends sooner. A server older than that field: the maximum alone.
 */
function upTo(r: ListedRole): string {
  const duration = formatSessionLength(r.maxSessionDuration);
  const canGetNow = r.maxDurationNow;
  if (canGetNow === undefined || canGetNow >= r.maxSessionDuration) return t('roleUpTo', { duration });
  if (canGetNow === 0) return t('roleNoneNow', { duration, minutes: (MIN_DURATION_SECONDS + OFFER_MARGIN_SECONDS) / 60 });
  return t('roleUpToNow', {
    duration,
    now: formatSessionLength(canGetNow),
    ends: formatRemaining((canGetNow + OFFER_MARGIN_SECONDS) * 1000),
  });
}
