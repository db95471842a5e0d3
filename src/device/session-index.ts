import type { Clock } from '../clock.js';
import { identityKey } from '../idp/identity.js';
import { CREATE_OR_UPDATE_ATTEMPTS, storeInconsistent, type Store } from '../store/index.js';
import { secretHash } from './secrets.js';

/** One indexed session: enough to drop it from the index once it has ended. */
interface Entry {
  sid: string;
  expiresAt: number;
}

interface IndexRecord {
  sessions: Entry[];
}

/**
 * The names a user's sessions are indexed under: the exact user (IdP issuer and subject — a subject
 * is unique only within its IdP), and, for an administrator's `--user`, the bare subject and the
 * email in lower case. A lookup by the bare names may find users of several IdPs; callers that act
 * on one person use `identityName`, or check who they found.
 */
export function userNames(identity: { issuer: string; subject: string; email?: string }): string[] {
  return [identityName(identity), `subject:${identity.subject}`, ...(identity.email ? [`email:${identity.email.toLowerCase()}`] : [])];
}

/** The index name of exactly one user: issuer and subject. */
export function identityName(identity: { issuer: string; subject: string }): string {
  return `user:${identityKey(identity)}`;
}

/** The names an administrator's `--user X` may mean: a subject, or an email in any case. */
export function queryNames(user: string): string[] {
  return [`subject:${user}`, `email:${user.toLowerCase()}`];
}

/**
 * Sessions by user: CLI sessions, so `rambridge sessions list|revoke --user X` can find them in a
 * key-value store that cannot be scanned, and browser sessions (one name: the exact user). Each
 * user name keys a small list, changed only by compare-and-swap; ended sessions are dropped from it
 * whenever it is written, and a user's list is capped, so no record grows without bound.
 */
export class SessionIndex {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      maxAgeSeconds: number;
      /** Key prefix of the records (default `cli:user:`): one index per kind of session. */
      prefix?: string;
    },
  ) {}

  /**
   * Indexes `entry` under `names`. With `cap`, the first name (the exact user, see `identityName`)
   * keeps at most `cap.max` live sessions: sessions that ended early (signed out, timed out,
   * revoked; `cap.isLive` says) are dropped without counting, and the oldest live ones beyond the
   * cap are dropped from every name and returned, oldest first, for the caller to end.
   */
  async add(names: string[], entry: Entry, cap?: { max: number; isLive: (sid: string) => Promise<boolean> }): Promise<string[]> {
    const [first, ...rest] = names;
    if (first === undefined) return [];
    const ended = cap ? await this.endedIn(this.key(first), cap.isLive) : [];
    const dropped = await this.addOne(this.key(first), entry, cap?.max, ended);
    for (const name of rest) await this.addOne(this.key(name), entry, undefined, [...dropped, ...ended]);
    return dropped;
  }

  /** Sessions indexed under `key` that ended before their time: at most a cap's worth of reads. */
  private async endedIn(key: string, isLive: (sid: string) => Promise<boolean>): Promise<string[]> {
    const record = await this.deps.store.find<IndexRecord>(key);
    const now = this.deps.clock.now();
    const indexed = record?.sessions.filter((s) => s.expiresAt > now).map((s) => s.sid) ?? [];
    const live = await Promise.all(indexed.map(isLive));
    return indexed.filter((_, i) => !live[i]);
  }

  /** Session ids indexed under any of `names`; some may have ended since. */
  async sidsFor(names: string[]): Promise<string[]> {
    const records = await Promise.all(names.map((n) => this.deps.store.find<IndexRecord>(this.key(n))));
    return [...new Set(records.flatMap((r) => r?.sessions.map((s) => s.sid) ?? []))];
  }

  private key(name: string): string {
    return indexKey(name, this.deps.prefix);
  }

  private async addOne(key: string, entry: Entry, max: number | undefined, without: string[], attempt = 1): Promise<string[]> {
    const { store, clock, maxAgeSeconds } = this.deps;
    if (await store.insert(key, { sessions: [entry] } satisfies IndexRecord, maxAgeSeconds)) return [];
    const now = clock.now();
    let dropped: string[] = [];
    const updated = await store.update<IndexRecord>(
      key,
      (r) => {
        const sessions = [...r.sessions.filter((s) => s.expiresAt > now && !without.includes(s.sid)), entry];
        const over = max === undefined ? 0 : Math.max(0, sessions.length - max);
        dropped = sessions.slice(0, over).map((s) => s.sid);
        return { sessions: sessions.slice(over) };
      },
      // The newest session decides how long the index must live.
      maxAgeSeconds,
    );
    // The record expired (or could not be read) between insert and update: create it afresh, a
    // bounded number of times.
    if (!updated) {
      if (attempt >= CREATE_OR_UPDATE_ATTEMPTS) throw storeInconsistent(key);
      return this.addOne(key, entry, max, without, attempt + 1);
    }
    return dropped;
  }
}

/**
 * Hashed like the other secrets' keys: key names are not encrypted at rest (store.encryptionKeys
 * seals values only), and an email in a key name would tell anyone reading Redis who signed in.
 */
const indexKey = (name: string, prefix = 'cli:user:') => `${prefix}${secretHash(name)}`;
