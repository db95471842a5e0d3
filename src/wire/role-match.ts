import { fuzzyScore } from './fuzzy.js';

/** What matching needs of a role; the CLI's `RoleInfo` and the server's `Role` both fit. */
export interface MatchableRole {
  id: string;
  arn: string;
  accountName: string;
  accountId: string;
  description?: string;
}

/**
 * How a query named roles, strictest rule first (the same for `rambridge creds ROLE` and the web
 * deep link `/roles/ROLE`, so a name that works in one works in the other):
 *  - `id`: the role id, case-insensitively;
 *  - `alias`: the RAM role name (`rambridge-dev-admin`), the full ARN, or the id without its
 *    account prefix (`admin` for `dev-admin`: ids are conventionally `<account>-<name>`);
 *  - `fuzzy`: every term of the query matches the id, RAM role name or account, best first.
 * `matches` holds one role for a unique answer and several when the query is ambiguous; a caller
 * must never pick one of several by luck.
 */
export type RoleMatch<R> = { by: 'id' | 'alias' | 'fuzzy'; matches: R[] } | { by: 'none'; matches: [] };

export function matchRoles<R extends MatchableRole>(roles: readonly R[], query: string): RoleMatch<R> {
  const wanted = query.trim().toLowerCase();
  const byId = roles.find((r) => r.id.toLowerCase() === wanted);
  if (byId) return { by: 'id', matches: [byId] };

  const byAlias = roles.filter((r) => roleAliases(r).includes(wanted));
  if (byAlias.length > 0) return { by: 'alias', matches: byAlias };

  const fuzzy = roles
    .map((role) => ({ role, score: fuzzyScore(wanted, [role.id, ramRoleName(role), role.accountName, role.accountId]) }))
    .filter((m): m is { role: R; score: number } => m.score !== undefined)
    .sort((a, b) => b.score - a.score);
  if (fuzzy.length > 0) return { by: 'fuzzy', matches: fuzzy.map((m) => m.role) };
  return { by: 'none', matches: [] };
}

/** The RAM role name: the part of the ARN after `role/`. */
export function ramRoleName(role: Pick<MatchableRole, 'arn'>): string {
  return role.arn.slice(role.arn.lastIndexOf('/') + 1);
}

function roleAliases(role: MatchableRole): string[] {
  const dash = role.id.indexOf('-');
  return [ramRoleName(role).toLowerCase(), role.arn.toLowerCase(), ...(dash > 0 ? [role.id.slice(dash + 1).toLowerCase()] : [])];
}
