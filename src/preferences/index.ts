import { hash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { DEFAULTS } from '../config/defaults.js';
import { deepFreeze, perFrozen, perFrozenPair } from '../frozen.js';
import { identityKey, type Identity } from '../idp/identity.js';
import { CREATE_OR_UPDATE_ATTEMPTS, storeInconsistent, type Store } from '../store/index.js';

/** Who the preferences belong to: one user of one IdP, whichever door (browser or CLI) they came through. */
export type PreferenceUser = Pick<Identity, 'issuer' | 'subject'>;

/** One recently used role, most recent first in `recents`. */
export interface RecentRole {
  roleId: string;
  /** Milliseconds since the epoch, on the bridge's clock. */
  usedAt: number;
}

/**
 * What a user's preferences say about the roles they hold NOW: favourites in the order they were
 * starred, recents most recent first, and the last duration (seconds) asked for per role.
 */
export interface UserRolePreferences {
  readonly favourites: readonly string[];
  readonly recents: readonly Readonly<RecentRole>[];
  readonly lastDurations: Readonly<Record<string, number>>;
}

/** The stored record. Arrays, not maps, so the bounds can drop the oldest entries. */
interface PreferencesRecord {
  favourites: string[];
  recents: RecentRole[];
  /** Most recently set first. */
  durations: Array<{ roleId: string; seconds: number }>;
  /** The page language the user last chose with the switcher (the web checks it is one it speaks). */
  language?: string;
}

/** The bounds and lifetime of one user's record (DEFAULTS.preferences; tests pass smaller ones). */
export interface PreferenceLimits {
  ttlSeconds: number;
  maxFavourites: number;
  maxRecents: number;
  maxDurations: number;
}

const EMPTY: PreferencesRecord = deepFreeze({ favourites: [], recents: [], durations: [] });

/**
 * Favourites, recents and last durations per user, in the shared store so the browser and the CLI
 * see the same ones (and every bridge instance does).
 *
 * One record per user, keyed by a hash of the IdP issuer and subject (never an email: key names are
 * not sealed at rest). Every write is a compare-and-swap through `Store.update` (Redis: a Lua
 * swap, retried on conflict), so two instances recording at the same instant both land. The record
 * lives `DEFAULTS.preferences.ttlSeconds` from its last write: a user who stops coming disappears.
 *
 * Role ids are stored as given and filtered at read time against the roles the caller says the user
 * holds now, so a role taken away is never shown or offered, and comes back if it is granted again.
 */
export class RolePreferences {
  private readonly limits: PreferenceLimits;

  constructor(
    private readonly deps: { store: Store; clock: Clock },
    limits: Partial<PreferenceLimits> = {},
  ) {
    this.limits = { ...DEFAULTS.preferences, ...limits };
  }

  /**
   * The user's preferences, restricted to `granted` role ids (the user's roles now), frozen: for a
   * frozen record and list (the memory store's, a CLI session's roles) the same object every time.
   */
  async get(user: PreferenceUser, granted: readonly string[]): Promise<UserRolePreferences> {
    const record = (await this.deps.store.find<PreferencesRecord>(preferencesKey(user))) ?? EMPTY;
    return visibleKept(record, granted);
  }

  /** A role was issued to the user for `durationSeconds`: it becomes the most recent, and its duration the last one. */
  async recordUse(user: PreferenceUser, roleId: string, durationSeconds: number): Promise<void> {
    const usedAt = this.deps.clock.now();
    const { maxRecents, maxDurations } = this.limits;
    await this.change(user, (r) => ({
      ...r,
      recents: [{ roleId, usedAt }, ...r.recents.filter((x) => x.roleId !== roleId)].slice(0, maxRecents),
      durations: [{ roleId, seconds: durationSeconds }, ...r.durations.filter((x) => x.roleId !== roleId)].slice(0, maxDurations),
    }));
  }

  /**
   * Stars or unstars a role (idempotent). Past `maxFavourites`, the one starred longest ago goes:
   * a bound on what one user can make the store hold, generous beyond what a picker shows.
   * The caller checks that the user holds the role.
   */
  async setFavourite(user: PreferenceUser, roleId: string, favourite: boolean): Promise<void> {
    const { maxFavourites } = this.limits;
    await this.change(user, (r) => {
      const others = r.favourites.filter((f) => f !== roleId);
      return { ...r, favourites: favourite ? [...others, roleId].slice(-maxFavourites) : others };
    });
  }

  /** The language the user last chose, on any browser (undefined: never chose one). */
  async language(user: PreferenceUser): Promise<string | undefined> {
    const record = await this.deps.store.find<PreferencesRecord>(preferencesKey(user));
    return typeof record?.language === 'string' ? record.language : undefined;
  }

  /** Remembers the user's language choice, so a sign-in on another browser starts in it. */
  async setLanguage(user: PreferenceUser, language: string): Promise<void> {
    await this.change(user, (r) => ({ ...r, language }));
  }

  /** Whether the role is starred now (for a toggle). */
  async isFavourite(user: PreferenceUser, roleId: string): Promise<boolean> {
    const record = await this.deps.store.find<PreferencesRecord>(preferencesKey(user));
    return record?.favourites.includes(roleId) ?? false;
  }

  /**
   * Read-modify-write without losing a concurrent write: create the record if absent (insert is
   * atomic), else compare-and-swap it (update). Each write renews the TTL.
   */
  private async change(user: PreferenceUser, next: (current: PreferencesRecord) => PreferencesRecord): Promise<void> {
    const { store } = this.deps;
    const key = preferencesKey(user);
    const ttl = this.limits.ttlSeconds;
    for (let attempt = 1; attempt <= CREATE_OR_UPDATE_ATTEMPTS; attempt++) {
      if (await store.insert(key, next(EMPTY), ttl)) return;
      // Expired between insert and update (undefined): go round and create it afresh.
      if (await store.update<PreferencesRecord>(key, (current) => next(normalised(current)), ttl)) return;
    }
    throw storeInconsistent(key);
  }
}

/** `visible`, worked out once per frozen record and frozen list of granted roles (a CLI session's requests). */
const visibleKept = perFrozenPair((record: PreferencesRecord, granted: readonly string[]) => deepFreeze(visible(record, new Set(granted))));

/** The record as the user may see it now: only granted roles. */
function visible(record: PreferencesRecord, granted: ReadonlySet<string>): UserRolePreferences {
  const r = normalised(record);
  return {
    favourites: r.favourites.filter((id) => granted.has(id)),
    recents: r.recents.filter((x) => granted.has(x.roleId)),
    lastDurations: Object.fromEntries(r.durations.filter((x) => granted.has(x.roleId)).map((x) => [x.roleId, x.seconds])),
  };
}

/** A record as stored, tolerant of a missing field (a record written by an older or newer bridge). */
function normalised(record: Partial<PreferencesRecord>): PreferencesRecord {
  return {
    favourites: Array.isArray(record.favourites) ? record.favourites : [],
    recents: Array.isArray(record.recents) ? record.recents : [],
    durations: Array.isArray(record.durations) ? record.durations : [],
    ...(typeof record.language === 'string' ? { language: record.language } : {}),
  };
}

/**
 * Hashed like the CLI session index's keys: key names are not encrypted at rest (store.encryptionKeys
 * seals values only), so the issuer and subject must not be readable from them. A CLI session's
 * identity is frozen, the same object on every request: its key is hashed once.
 */
export const preferencesKey = perFrozen(
  (user: PreferenceUser): string => `prefs:user:${hash('sha256', `user:${identityKey(user)}`, 'base64url')}`,
);
