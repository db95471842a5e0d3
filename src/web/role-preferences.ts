import type { Identity } from '../idp/identity.js';
import { isoSeconds } from '../iso-time.js';
import type { RoleChoice } from '../mapping/index.js';
import { maxDuration, roleNotGranted } from '../issuance/role-request.js';
import { RolePreferences, type UserRolePreferences } from '../preferences/index.js';
import { deepFreeze, perFrozen, perFrozenPair } from '../frozen.js';
import type { WebDeps } from './deps.js';
import { isLanguage, type Language } from './i18n/index.js';

/**
 * A user's favourites, recents and last durations as the picker shows them, for the roles the user
 * holds now (`choices`, from `mapper.rolesFor(user)`): never a role they no longer have.
 *
 * - `favourites`: role ids, in the order they were starred.
 * - `recents`: most recent first, `usedAt` ISO 8601 to the second.
 * - `lastDurations`: seconds per role id, only where still within the role's maximum today (a
 *   lowered MaxSessionDuration or elevation cap drops it), so it can pre-select the picker's length.
 *
 * Shared with the CLI: `GET /api/roles` reports the same values per role.
 */
export interface PickerPreferences {
  readonly favourites: readonly string[];
  readonly recents: readonly { readonly roleId: string; readonly usedAt: string }[];
  readonly lastDurations: Readonly<Record<string, number>>;
}

type ElevationSettings = WebDeps['config']['elevation'];

/** What the picker and `GET /api/roles` call: `await rolePreferencesFor(deps, user, mapper.rolesFor(user))`. */
export async function rolePreferencesFor(
  deps: Pick<WebDeps, 'store' | 'clock' | 'config'>,
  user: Identity,
  choices: readonly RoleChoice[],
): Promise<PickerPreferences> {
  const prefs = await preferencesOf(deps).get(user, roleIdsOf(choices));
  return pickerPreferencesKept(prefs, choices)(deps.config.elevation);
}

/** A CLI session's roles are frozen, the same list on every request (RoleMapper.rolesFor): so are their ids. */
const roleIdsOf = perFrozen((choices: readonly RoleChoice[]) => Object.freeze(choices.map((c) => c.role.id)));

/**
 * Worked out once for a frozen record's preferences and a frozen list of roles: a CLI session's
 * requests, until the record is written again. The roles are the configuration's own, never changed
 * in place (a reload makes a new configuration and mapper, so new lists); the elevation settings
 * come with the same configuration, and are compared all the same.
 */
const pickerPreferencesKept = perFrozenPair((prefs: UserRolePreferences, choices: readonly RoleChoice[]) => {
  let kept: { elevation: ElevationSettings; preferences: PickerPreferences } | undefined;
  return (elevation: ElevationSettings) => {
    if (kept?.elevation !== elevation) kept = { elevation, preferences: deepFreeze(pickerPreferences(prefs, choices, elevation)) };
    return kept.preferences;
  };
});

function pickerPreferences(prefs: UserRolePreferences, choices: readonly RoleChoice[], elevation: ElevationSettings): PickerPreferences {
  const max = new Map(choices.map(({ role }) => [role.id, maxDuration(role, elevation)]));
  return {
    favourites: prefs.favourites,
    recents: prefs.recents.map((r) => ({ roleId: r.roleId, usedAt: isoSeconds(new Date(r.usedAt)) })),
    // Looked up by role id, and `constructor` is a valid one: no prototype to find it on.
    lastDurations: Object.assign(
      Object.create(null) as Record<string, number>,
      Object.fromEntries(Object.entries(prefs.lastDurations).filter(([id, seconds]) => seconds <= (max.get(id) ?? 0))),
    ),
  };
}

/**
 * Stars or unstars one of the user's roles, for the web form and the API alike. A role the user
 * does not hold now is refused (ERR_ROLE_NOT_GRANTED), exactly as issuing it would be. Without
 * `favourite`, toggles. Returns the new state.
 */
export async function setFavourite(
  deps: Pick<WebDeps, 'store' | 'clock'>,
  user: Identity,
  choices: readonly RoleChoice[],
  roleId: string,
  favourite?: boolean,
): Promise<boolean> {
  if (!choices.some((c) => c.role.id === roleId)) throw roleNotGranted();
  const prefs = preferencesOf(deps);
  const next = favourite ?? !(await prefs.isFavourite(user, roleId));
  await prefs.setFavourite(user, roleId, next);
  return next;
}

/** The language the user chose last, on any browser, when it is one the pages speak. */
export async function rememberedLanguageOf(deps: Pick<WebDeps, 'store' | 'clock'>, user: Identity): Promise<Language | undefined> {
  const language = await preferencesOf(deps).language(user);
  return isLanguage(language) ? language : undefined;
}

/** Remembers the user's language choice for their next sign-in, wherever it happens. */
export async function rememberLanguageOf(deps: Pick<WebDeps, 'store' | 'clock'>, user: Identity, language: Language): Promise<void> {
  await preferencesOf(deps).setLanguage(user, language);
}

/** Stateless over the store: built per call rather than threaded through WebDeps. */
function preferencesOf(deps: Pick<WebDeps, 'store' | 'clock'>): RolePreferences {
  return new RolePreferences({ store: deps.store, clock: deps.clock });
}
