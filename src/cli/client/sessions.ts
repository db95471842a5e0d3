import { withFileLock } from './lock.js';
import type { ClientPaths } from './paths.cjs';
import { PrivateJsonFile } from './secure-file.js';

/** Who the tokens belong to, from `/api/whoami` at login. */
export interface SessionUser {
  idp: string;
  subject: string;
  email?: string;
  name?: string;
}

/** One logged-in server: its tokens and what the client needs to refresh them without discovery. */
export interface StoredSession {
  tokenEndpoint: string;
  revocationEndpoint?: string;
  accessToken: string;
  /** Milliseconds since the epoch. */
  accessTokenExpiresAt: number;
  refreshToken: string;
  user: SessionUser;
  /** When the server ends the session whatever the refreshes (ISO date), if it said. */
  sessionExpiresAt?: string;
}

interface SessionsDocument {
  version: 1;
  sessions: Record<string, StoredSession>;
}

/**
 * Tokens per server, in `sessions.json` (0600). Several servers can be logged in at once.
 *
 * Every change goes through `exclusively`: each rewrites the whole file, and refresh tokens rotate,
 * so a change made outside the lock can write back a refresh token the server has already
 * replaced (whose next use the server treats as theft), or lose a login or a logout.
 */
export class SessionStore {
  private readonly file: PrivateJsonFile<SessionsDocument>;
  private readonly lockPath: string;
  private readonly credentialsLockPath: string;

  constructor(paths: ClientPaths) {
    this.file = new PrivateJsonFile<SessionsDocument>(paths.sessions, paths.dir);
    this.lockPath = paths.refreshLock;
    this.credentialsLockPath = paths.credentialsLock;
  }

  /**
   * Runs `task` holding the lock every refresh, login and logout takes (one for all servers: they
   * share the file). A path that also takes the credentials lock takes that one first.
   */
  exclusively<T>(task: () => Promise<T>): Promise<T> {
    return withFileLock(this.lockPath, task);
  }

  /**
   * Runs `task` holding the credentials lock, then this one: how a login or logout swaps a session
   * and the keys it brought (the order credential fetches take them in, so none deadlocks). A
   * refresh or a fetch running meanwhile finishes first: the token read is the latest one, and
   * nothing writes the old session or its keys back afterwards. Only the swap: a slow server must
   * not hold up every other command waiting for the locks.
   */
  withCredentialsToo<T>(task: () => Promise<T>): Promise<T> {
    return withFileLock(this.credentialsLockPath, () => this.exclusively(task));
  }

  /** Fails, before a refresh token is spent, if the rotated one could not be saved (disk full, read-only). */
  async assertWritable(): Promise<void> {
    await this.file.assertWritable();
  }

  async get(server: string): Promise<StoredSession | undefined> {
    return (await this.file.read())?.sessions[server];
  }

  async put(server: string, session: StoredSession): Promise<void> {
    await this.file.update((doc) => ({ version: 1, sessions: { ...doc?.sessions, [server]: session } }));
  }

  /**
   * Stores `session` only if the stored refresh token is still `spent`, the one its tokens were
   * obtained with; returns whether it did. A login or logout in between wins over a refresh.
   */
  async replace(server: string, spent: string, session: StoredSession): Promise<boolean> {
    const doc = await this.file.read();
    if (doc?.sessions[server]?.refreshToken !== spent) return false;
    await this.file.write({ version: 1, sessions: { ...doc.sessions, [server]: session } });
    return true;
  }

  async remove(server: string): Promise<void> {
    const doc = await this.file.read();
    if (!doc?.sessions[server]) return;
    await this.file.write({ version: 1, sessions: Object.fromEntries(Object.entries(doc.sessions).filter(([s]) => s !== server)) });
  }
}

/** The identity the credential cache is keyed by: the same subject at two IdPs is two people. */
export function userKey(user: SessionUser): string {
  return `${user.idp}/${user.subject}`;
}
