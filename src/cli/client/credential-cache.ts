import type { Clock } from '../../clock.js';
import type { CredentialsResponse } from './api.js';
import type { ClientPaths } from './paths.cjs';
import { PrivateJsonFile } from './secure-file.js';

/**
 * Credentials are reused until this long before they expire. Tools that use them (the aliyun CLI
 * runs `creds --format process` for every call) then never see keys that die mid-command, and a
 * second `creds` within the hour costs no network call at all.
 */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** Credentials are cached per server + user + role + duration. */
export interface CacheKey {
  server: string;
  user: string;
  role: string;
  /** The length asked for; the credentials' own `durationSeconds` is what the server granted (`wasCut`). */
  durationSeconds: number;
}

/**
 * Whether credentials asked for `askedSeconds` were granted less (cut to the end of the CLI session
 * that asked: the server's `durationSeconds`); a server older than that field never says so.
 */
export function wasCut(credentials: CredentialsResponse, askedSeconds: number): boolean {
  return credentials.durationSeconds !== undefined && credentials.durationSeconds < askedSeconds;
}

interface CacheEntry extends CacheKey {
  credentials: CredentialsResponse;
  /**
   * When the credentials expire by this machine's clock: their `expiration` less the server's time
   * when it sent them (its `Date` header), added to the local time they arrived. The server's
   * `expiration` is in STS's time, so judged by a clock running slow it would hand out dead keys
   * for as long as the clock is off. Entries are judged by the earlier of the two (`isUsable`): a
   * clock stepped back since (fast when they arrived), or a bridge whose clock is not STS's, would
   * otherwise make this one too late. Absent in entries written by older versions or from an
   * answer without a `Date`: those are judged by `expiration`.
   */
  localExpiresAt?: number;
}

/**
 * Keys `creds --format aliyun-profile` wrote into ~/.aliyun/config.json, for `logout` to find
 * there: an elevated role's are in no entry (never cached), a cached one may have been replaced.
 */
interface ProfileKey {
  server: string;
  accessKeyId: string;
  expiration: string;
}

interface CacheDocument {
  version: 1;
  entries: Record<string, CacheEntry>;
  profileKeys?: ProfileKey[];
}

/** Profile keys are remembered this long past their `expiration`, whatever the local clock says. */
const PROFILE_KEY_SLACK_MS = 24 * 3_600_000;

/** Credentials with their expiry by this machine's clock, if known (`CacheEntry.localExpiresAt`). */
export type Expiring = Pick<CacheEntry, 'credentials' | 'localExpiresAt'>;

/**
 * When credentials expire by this machine's clock, as far as the CLI is concerned: the earlier of
 * their local expiry and their `expiration`, never an expired key whichever clock is off. The reuse
 * decision (`isUsable`, and cached-creds.cts), the time shown as left and the expiration handed to
 * other programs (`creds --format process` and `aliyun-profile`, `exec`, `credential-server`),
 * which judge it by this machine's clock, are all this one.
 */
export function expiresLocally(entry: Expiring): number {
  const expiration = Date.parse(entry.credentials.expiration);
  return Math.min(entry.localExpiresAt ?? expiration, expiration);
}

/** Whether an entry has more than the refresh margin left (`expiresLocally`). */
export function isUsable(entry: Expiring, now: number): boolean {
  return expiresLocally(entry) - now > REFRESH_MARGIN_MS;
}

/**
 * When credentials that arrived at `now` expire by this machine's clock (`CacheEntry.localExpiresAt`):
 * `undefined` without the server's `Date` when it sent them.
 */
export function localExpiry(credentials: CredentialsResponse, serverDate: number | undefined, now: number): number | undefined {
  return serverDate === undefined ? undefined : now + (Date.parse(credentials.expiration) - serverDate);
}

/** STS credentials in `credentials.json` (0600); expired entries are dropped at every write. */
export class CredentialCache {
  private readonly file: PrivateJsonFile<CacheDocument>;

  constructor(
    paths: ClientPaths,
    private readonly clock: Clock,
  ) {
    this.file = new PrivateJsonFile<CacheDocument>(paths.credentials, paths.dir);
  }

  async get(key: CacheKey): Promise<CredentialsResponse | undefined> {
    return (await this.entry(key))?.credentials;
  }

  /** The usable entry for `key`, with its local expiry. */
  async entry(key: CacheKey): Promise<Expiring | undefined> {
    const entry = (await this.file.read())?.entries[entryId(key)];
    return entry && isUsable(entry, this.clock.now())
      ? { credentials: entry.credentials, localExpiresAt: entry.localExpiresAt }
      : undefined;
  }

  /**
   * Stores credentials as they arrive; `serverDate`, the server's `Date` when it sent them, if it
   * gave one. Returns the local expiry stored, for the caller to hand out: the one every later
   * reader of the entry (and cached-creds.cts) judges and prints by.
   */
  async put(key: CacheKey, credentials: CredentialsResponse, serverDate?: number): Promise<number | undefined> {
    const localExpiresAt = localExpiry(credentials, serverDate, this.clock.now());
    await this.file.update((doc) => ({
      version: 1,
      entries: { ...this.usable(doc, () => true), [entryId(key)]: { ...key, credentials, localExpiresAt } },
      profileKeys: this.liveProfileKeys(doc, () => true),
    }));
    return localExpiresAt;
  }

  /** Remembers that these credentials of `server` were written into an aliyun profile. */
  async rememberProfileKey(server: string, credentials: CredentialsResponse): Promise<void> {
    const { accessKeyId, expiration } = credentials;
    await this.file.update((doc) => ({
      version: 1,
      entries: this.usable(doc, () => true),
      profileKeys: [...this.liveProfileKeys(doc, (k) => k.accessKeyId !== accessKeyId), { server, accessKeyId, expiration }],
    }));
  }

  /** The access key ids of the credentials cached from `server` or written into profiles, expired ones included. */
  async accessKeyIds(server: string): Promise<Set<string>> {
    const doc = await this.file.read();
    const entries = Object.values(doc?.entries ?? {}).map((e) => ({ server: e.server, accessKeyId: e.credentials.accessKeyId }));
    return new Set([...entries, ...(doc?.profileKeys ?? [])].filter((k) => k.server === server).map((k) => k.accessKeyId));
  }

  /**
   * Forgets every credential obtained from `server` (logout). With `keepKeyIds` (its keys could not
   * be blanked in the aliyun profiles), the ids of its keys stay, as if written into a profile, for
   * the next logout to find.
   */
  async removeServer(server: string, { keepKeyIds = false } = {}): Promise<void> {
    const doc = await this.file.read();
    if (doc) {
      const kept = this.liveProfileKeys(doc, (k) => keepKeyIds || k.server !== server);
      const cached = keepKeyIds
        ? Object.values(doc.entries)
            .filter((e) => e.server === server && !kept.some((k) => k.accessKeyId === e.credentials.accessKeyId))
            .map((e) => ({ server, accessKeyId: e.credentials.accessKeyId, expiration: e.credentials.expiration }))
        : [];
      await this.file.write({
        version: 1,
        entries: this.usable(doc, (e) => e.server !== server),
        profileKeys: [...kept, ...cached],
      });
    }
  }

  /**
   * Forgets the credentials of `server` that were cut short by the end of the CLI session they came
   * with (granted less than their key asked for): after a new login, a length asked for again gets
   * credentials of that length, not the cut ones (within the session that had them, those are
   * served again, as others are). Those not cut stay.
   */
  async removeCut(server: string): Promise<void> {
    const doc = await this.file.read();
    const cut = (e: CacheEntry) => e.server === server && wasCut(e.credentials, e.durationSeconds);
    if (doc && Object.values(doc.entries).some(cut)) {
      await this.file.write({ version: 1, entries: this.usable(doc, (e) => !cut(e)), profileKeys: this.liveProfileKeys(doc, () => true) });
    }
  }

  private liveProfileKeys(doc: CacheDocument | undefined, keep: (key: ProfileKey) => boolean): ProfileKey[] {
    const now = this.clock.now();
    return (doc?.profileKeys ?? []).filter((k) => keep(k) && Date.parse(k.expiration) + PROFILE_KEY_SLACK_MS > now);
  }

  private usable(doc: CacheDocument | undefined, keep: (entry: CacheEntry) => boolean): Record<string, CacheEntry> {
    const now = this.clock.now();
    return Object.fromEntries(Object.entries(doc?.entries ?? {}).filter(([, e]) => keep(e) && isUsable(e, now)));
  }
}

function entryId(key: CacheKey): string {
  return JSON.stringify([key.server, key.user, key.role, key.durationSeconds]);
}
