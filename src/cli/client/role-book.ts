import type { RoleInfo, WhoAmI } from './api.js';
import type { ClientPaths } from './paths.cjs';
import { withFileLock } from './lock.js';
import { PrivateJsonFile } from './secure-file.js';

/** How many recently used roles are remembered. */
const RECENTS_KEPT = 10;

export interface RecentUse {
  role: string;
  /** Milliseconds since the epoch. */
  usedAt: number;
}

/**
 * A `whoami` answer as it arrived: `fetchedAt` by this machine's clock, `serverDate` by the
 * server's (its `Date`; absent from answers without one and from files of older versions).
 */
export interface RememberedIdentity {
  me: WhoAmI;
  fetchedAt: number;
  serverDate?: number;
}

/**
 * When the CLI session ends by this machine's clock, judged as credentials are (credential-cache.ts
 * `expiresLocally`): the time the server's `sessionExpiresAt` left by its clock when it answered
 * (its `Date`), counted from when the answer arrived here, and never later than `sessionExpiresAt`.
 * A remembered answer is counted from when it arrived, not from now. Without the server's `Date`
 * (or from a file of an older version), `sessionExpiresAt` as it is.
 */
export function sessionEndsLocally({ me, fetchedAt, serverDate }: RememberedIdentity): number | undefined {
  if (!me.sessionExpiresAt) return undefined;
  const expiresAt = Date.parse(me.sessionExpiresAt);
  return serverDate === undefined ? expiresAt : Math.min(fetchedAt + (expiresAt - serverDate), expiresAt);
}

/** What the client remembers about one server's roles. */
export interface ServerRoles {
  /** The last role list seen, so `creds ROLE` resolves names without a network call, and
   * `roles` answers while the server is down. `fetchedAt`: milliseconds since the epoch. */
  catalogue?: { user: string; roles: RoleInfo[]; fetchedAt?: number };
  /** The last `whoami` answer, for `whoami` while the server is down. */
  identity?: { user: string } & RememberedIdentity;
  favourites: string[];
  /** Most recent first. */
  recents: RecentUse[];
}

interface RoleBookDocument {
  version: 1;
  servers: Record<string, ServerRoles>;
}

const EMPTY: ServerRoles = { favourites: [], recents: [] };
/** How long recording a use waits for the role book before it lets the use go unrecorded. */
const USE_LOCK_TIMEOUT_MS = 2_000;

/** `roles.json`: the role catalogue, favourites and recents, per server. Favourites and recents
 * survive a logout (they are preferences); the catalogue does not. */
export class RoleBook {
  private readonly file: PrivateJsonFile<RoleBookDocument>;
  private readonly lockPath: string;

  constructor(paths: ClientPaths) {
    this.file = new PrivateJsonFile<RoleBookDocument>(paths.roles, paths.dir);
    this.lockPath = paths.rolesLock;
  }

  async get(server: string): Promise<ServerRoles> {
    return (await this.file.read())?.servers[server] ?? EMPTY;
  }

  /** The cached catalogue, if it was fetched for this user. */
  async catalogue(server: string, user: string): Promise<RoleInfo[] | undefined> {
    const catalogue = (await this.get(server)).catalogue;
    return catalogue?.user === user ? catalogue.roles : undefined;
  }

  saveCatalogue(server: string, user: string, roles: RoleInfo[], fetchedAt: number): Promise<void> {
    return this.change(server, (s) => ({ ...s, catalogue: { user, roles, fetchedAt } }));
  }

  /** The remembered `whoami`, if it was this user's. */
  async identity(server: string, user: string): Promise<RememberedIdentity | undefined> {
    const identity = (await this.get(server)).identity;
    return identity?.user === user ? identity : undefined;
  }

  saveIdentity(server: string, user: string, identity: RememberedIdentity): Promise<void> {
    return this.change(server, (s) => ({ ...s, identity: { user, ...identity } }));
  }

  /** At logout: the role list and identity go (they describe a session); favourites and recents stay. */
  forgetCatalogue(server: string): Promise<void> {
    return this.change(server, ({ catalogue: _roles, identity: _identity, ...rest }) => rest);
  }

  /** Adds or removes a favourite; returns whether the role is a favourite now. */
  async toggleFavourite(server: string, role: string): Promise<boolean> {
    let now = false;
    await this.change(server, (s) => {
      now = !s.favourites.includes(role);
      return { ...s, favourites: now ? [...s.favourites, role] : s.favourites.filter((f) => f !== role) };
    });
    return now;
  }

  /** Stars (or unstars) a role on this machine only: for servers that do not keep favourites. */
  setFavourite(server: string, role: string, favourite: boolean): Promise<void> {
    return this.change(server, (s) => {
      const others = s.favourites.filter((f) => f !== role);
      return { ...s, favourites: favourite ? [...others, role] : others };
    });
  }

  /**
   * Remembers a use (it orders `rambridge roles`), best effort: a role book that is locked or
   * cannot be written must not fail `creds` or `exec`, which the aliyun CLI runs for every call.
   */
  async recordUse(server: string, role: string, at: number): Promise<void> {
    const recents = (s: ServerRoles) => [{ role, usedAt: at }, ...s.recents.filter((r) => r.role !== role)].slice(0, RECENTS_KEPT);
    await this.change(server, (s) => ({ ...s, recents: recents(s) }), USE_LOCK_TIMEOUT_MS).catch(() => undefined);
  }

  /**
   * Each change reads and rewrites the whole file, under a lock: the aliyun CLI runs `creds` (which
   * records the use) for every command, and one running beside `rambridge fav` would otherwise
   * write back the file it read before the favourite was added.
   */
  private async change(server: string, update: (current: ServerRoles) => ServerRoles, lockTimeoutMs = 10_000): Promise<void> {
    await withFileLock(
      this.lockPath,
      () =>
        this.file.update((doc) => ({
          version: 1,
          servers: { ...doc?.servers, [server]: update(doc?.servers[server] ?? EMPTY) },
        })),
      { timeoutMs: lockTimeoutMs },
    );
  }
}
