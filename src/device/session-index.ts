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
 * CLI sessions by user, so `rambridge sessions list|revoke --user X` can find them in a key-value
 * store that cannot be scanned. Each user name keys a small list, changed only by compare-and-swap;
 * ended sessions are dropped from it whenever it is written.
 */
export class SessionIndex {
  constructor(private readonly deps: { store: Store; clock: Clock; maxAgeSeconds: number }) {}

  async add(names: string[], entry: Entry): Promise<void> {
    for (const name of names) await this.addOne(indexKey(name), entry);
  }

  /** Session ids indexed under any of `names`; some may have ended since. */
  async sidsFor(names: string[]): Promise<string[]> {
    const records = await Promise.all(names.map((n) => this.deps.store.find<IndexRecord>(indexKey(n))));
    return [...new Set(records.flatMap((r) => r?.sessions.map((s) => s.sid) ?? []))];
  }

  private async addOne(key: string, entry: Entry, attempt = 1): Promise<void> {
    const { store, clock, maxAgeSeconds } = this.deps;
    if (await store.insert(key, { sessions: [entry] } satisfies IndexRecord, maxAgeSeconds)) return;
    const now = clock.now();
    const updated = await store.update<IndexRecord>(
      key,
      (r) => ({ sessions: [...r.sessions.filter((s) => s.expiresAt > now), entry] }),
      // The newest session decides how long the index must live.
      maxAgeSeconds,
    );
    // The record expired (or could not be read) between insert and update: create it afresh, a
    // bounded number of times.
    if (!updated) {
      if (attempt >= CREATE_OR_UPDATE_ATTEMPTS) throw storeInconsistent(key);
      await this.addOne(key, entry, attempt + 1);
    }
  }
}

/**
 * Hashed like the other secrets' keys: key names are not encrypted at rest (store.encryptionKeys
 * seals values only), and an email in a key name would tell anyone reading Redis who signed in.
 */
const indexKey = (name: string) => `cli:user:${secretHash(name)}`;
