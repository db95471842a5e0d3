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
  durationSeconds: number;
}

interface CacheEntry extends CacheKey {
  credentials: CredentialsResponse;
  /**
   * When the credentials expire by this machine's clock: their `expiration` less the server's time
   * when it sent them (its `Date` header), added to the local time they arrived. The server's
   * `expiration` is in STS's time, so judged by a clock running slow it would hand out dead keys
   * for as long as the clock is off (and, running fast, cache nothing). Absent in entries written
   * by older versions or from an answer without a `Date`: those are judged by `expiration`.
   */
  localExpiresAt?: number;
}

interface CacheDocument {
  version: 1;
  entries: Record<string, CacheEntry>;
}

/** Whether an entry has more than the refresh margin left (cached-creds.cts judges the same way). */
export function isUsable(entry: Pick<CacheEntry, 'credentials' | 'localExpiresAt'>, now: number): boolean {
  return (entry.localExpiresAt ?? Date.parse(entry.credentials.expiration)) - now > REFRESH_MARGIN_MS;
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
    const entry = (await this.file.read())?.entries[entryId(key)];
    return entry && isUsable(entry, this.clock.now()) ? entry.credentials : undefined;
  }

  /** Stores credentials as they arrive; `serverDate`, the server's `Date` when it sent them, if it gave one. */
  async put(key: CacheKey, credentials: CredentialsResponse, serverDate?: number): Promise<void> {
    const localExpiresAt = serverDate === undefined ? undefined : this.clock.now() + (Date.parse(credentials.expiration) - serverDate);
    await this.file.update((doc) => ({
      version: 1,
      entries: { ...this.usable(doc, () => true), [entryId(key)]: { ...key, credentials, localExpiresAt } },
    }));
  }

  /** The access key ids of the credentials cached from `server`, expired ones included. */
  async accessKeyIds(server: string): Promise<Set<string>> {
    const entries = Object.values((await this.file.read())?.entries ?? {});
    return new Set(entries.filter((e) => e.server === server).map((e) => e.credentials.accessKeyId));
  }

  /** Forgets every credential obtained from `server` (logout). */
  async removeServer(server: string): Promise<void> {
    const doc = await this.file.read();
    if (doc) await this.file.write({ version: 1, entries: this.usable(doc, (e) => e.server !== server) });
  }

  private usable(doc: CacheDocument | undefined, keep: (entry: CacheEntry) => boolean): Record<string, CacheEntry> {
    const now = this.clock.now();
    return Object.fromEntries(Object.entries(doc?.entries ?? {}).filter(([, e]) => keep(e) && isUsable(e, now)));
  }
}

function entryId(key: CacheKey): string {
  return JSON.stringify([key.server, key.user, key.role, key.durationSeconds]);
}
