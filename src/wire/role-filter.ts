import { fuzzyScore } from './fuzzy.js';

/**
 * How many of a role's search fields name it: account name, account alias, account id, role id,
 * RAM role name. The rest (description, granting groups) only describe it.
 */
export const NAME_FIELDS = 5;

/**
 * Which roles a picker query shows, each role given as its search fields (names first, see
 * NAME_FIELDS). Every term must match (`fuzzyScore`, the CLI's matcher). When some role matches by
 * its names alone, only those are shown: `prd ops` means prod-ops, not every role the `ops` group
 * grants. Otherwise descriptions and granting groups count too (`operate production`). The same
 * code runs on the server (`/roles?q=`) and in the page (served as /assets/role-filter.js), so the
 * two always agree.
 */
export function visibleRoles(query: string, roles: readonly (readonly string[])[]): boolean[] {
  if (query.trim() === '') return roles.map(() => true);
  const byName = roles.map((fields) => fuzzyScore(query, fields.slice(0, NAME_FIELDS)) !== undefined);
  if (byName.some(Boolean)) return byName;
  return roles.map((fields) => fuzzyScore(query, fields) !== undefined);
}
