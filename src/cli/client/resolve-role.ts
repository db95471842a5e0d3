import { roleName, type RoleInfo } from './api.js';
import { CliError } from './errors.js';
import { fuzzyScore } from './fuzzy.js';
import { t } from '../i18n/index.js';

/**
 * Finds the one role a user means, strictest rule first:
 *  1. the role id (`dev-admin`), case-insensitively;
 *  2. an alias: the RAM role name (`rambridge-dev-admin`), the full ARN, or the id without its
 *     account prefix (`admin` for `dev-admin`: ids are conventionally `<account>-<name>`);
 *  3. a fuzzy match over id, RAM role name and account — only if exactly one role matches.
 * Several candidates at any step is an error that lists them: a script must never get a role by
 * luck (ConsoleMe's "more than one matching role").
 */
export function resolveRole(roles: readonly RoleInfo[], query: string): RoleInfo {
  const wanted = query.trim().toLowerCase();
  const byId = roles.find((r) => r.id.toLowerCase() === wanted);
  if (byId) return byId;

  const byAlias = roles.filter((r) => aliases(r).includes(wanted));
  if (byAlias.length === 1) return byAlias[0]!;
  if (byAlias.length > 1) throw ambiguous(query, byAlias);

  const fuzzy = roles
    .map((role) => ({ role, score: fuzzyScore(wanted, [role.id, roleName(role), role.accountName, role.accountId]) }))
    .filter((m): m is { role: RoleInfo; score: number } => m.score !== undefined)
    .sort((a, b) => b.score - a.score);
  if (fuzzy.length === 1) return fuzzy[0]!.role;
  if (fuzzy.length > 1)
    throw ambiguous(
      query,
      fuzzy.map((m) => m.role),
    );

  throw new CliError('ERR_CLI_ROLE_UNKNOWN', t('roleUnknown', { count: roles.length, query }), { hint: t('roleUnknownHint') });
}

function aliases(role: RoleInfo): string[] {
  const dash = role.id.indexOf('-');
  return [roleName(role).toLowerCase(), role.arn.toLowerCase(), ...(dash > 0 ? [role.id.slice(dash + 1).toLowerCase()] : [])];
}

function ambiguous(query: string, candidates: readonly RoleInfo[]): CliError {
  const shown = candidates.slice(0, 8).map((r) => `${r.id} (${r.accountName})`);
  const more = candidates.length > shown.length ? t('roleAmbiguousMore', { count: candidates.length - shown.length }) : '';
  return new CliError('ERR_CLI_ROLE_AMBIGUOUS', t('roleAmbiguous', { query, count: candidates.length, shown: shown.join(', '), more }), {
    hint: t('roleAmbiguousHint', { example: candidates[0]!.id }),
  });
}
