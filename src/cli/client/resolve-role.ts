import type { RoleInfo } from './api.js';
import { CliError } from './errors.js';
import { matchRoles } from '../../wire/role-match.js';
import { t } from '../i18n/index.js';

/**
 * Finds the one role a user means (the rules are `matchRoles`, shared with the web's deep links).
 * Several candidates at any step is an error that lists them: a script must never get a role by
 * luck (ConsoleMe's "more than one matching role").
 */
export function resolveRole(roles: readonly RoleInfo[], query: string): RoleInfo {
  // Not "none of your 0 roles matches": the same answer `rambridge roles` gives.
  if (roles.length === 0) throw new CliError('ERR_CLI_NOT_ALLOWED', t('noRoles'), { hint: t('noRolesHint') });
  const { by, matches } = matchRoles(roles, query);
  if (matches.length === 1) return matches[0]!;
  if (by !== 'none') throw ambiguous(query, matches);
  throw new CliError('ERR_CLI_ROLE_UNKNOWN', t('roleUnknown', { count: roles.length, query }), { hint: t('roleUnknownHint') });
}

function ambiguous(query: string, candidates: readonly RoleInfo[]): CliError {
  const shown = candidates.slice(0, 8).map((r) => t('roleCandidate', { role: r.id, account: r.accountName }));
  const more = candidates.length > shown.length ? t('roleAmbiguousMore', { count: candidates.length - shown.length }) : '';
  return new CliError(
    'ERR_CLI_ROLE_AMBIGUOUS',
    t('roleAmbiguous', { query, count: candidates.length, shown: shown.join(t('listSeparator')), more }),
    {
      hint: t('roleAmbiguousHint', { example: candidates[0]!.id }),
    },
  );
}
