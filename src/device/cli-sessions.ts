import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { BridgeError, sentence } from '../errors.js';
import type { ConnectorData } from '../idp/connector.js';
import { sessionEnd, type Identity } from '../idp/identity.js';
import type { Store } from '../store/index.js';
import type { DeviceClient } from './client.js';
import type { ApprovedGrant } from './grant.js';
import { newSecret, secretHash } from './secrets.js';
import { identityName, queryNames, SessionIndex, userNames } from './session-index.js';

/**
 * A CLI session: what one approved device login grants, until it expires (absolute lifetime, no
 * extension by use) or is revoked. It is the refresh-token family of OAuth 2.0 Security BCP
 * §4.14.2: exactly one refresh token is valid at a time, each refresh rotates it, and presenting
 * an earlier one (someone holds a copy) revokes the whole session.
 */
export interface CliSession {
  sid: string;
  identity: Identity;
  /** The connector's data (the IdP refresh token of `refreshGroups`): beside the identity, never inside it. */
  connectorData?: ConnectorData;
  client: DeviceClient;
  createdAt: number;
  expiresAt: number;
  /** Hash of the one refresh token valid now. */
  refreshHash: string;
  /** Hashes of the rotated refresh tokens, oldest first (at most `rotationsKept`): presenting one again ends the session. */
  retiredHashes?: string[];
  refreshedAt?: number;
}

/**
 * Which session a refresh token belongs to: the current one, and every rotated one (the session's
 * `retiredHashes`). Kept until the session ends.
 */
interface RefreshEntry {
  sid: string;
}

const sessionKey = (sid: string) => `cli:session:${sid}`;
const refreshKey = (hash: string) => `cli:refresh:${hash}`;
/** When a user's CLI access was last revoked, per IdP id (`*`: any), under a hash of the user name. */
const revokedKey = (name: string) => `cli:revoked:${secretHash(name)}`;
type Revocations = Record<string, number>;
const ANY_IDP = '*';

export class CliSessions {
  private readonly index: SessionIndex;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      maxAgeSeconds: number;
      /** Live sessions one user (issuer and subject) may hold; a new one beyond it ends the oldest. Unbounded when absent. */
      maxSessionsPerUser?: number;
      /**
       * Refreshes a session may make: each rotated token is kept for reuse detection until the
       * session ends, and a session refreshing beyond this is ended. Unbounded when absent.
       */
      rotationsKept?: number;
    },
  ) {
    this.index = new SessionIndex(deps);
  }

  /**
   * Starts a session for an approved device login; the refresh token is returned once, stored
   * hashed. It lasts `maxAgeSeconds`, never past the end the IdP set for the sign-in it was
   * approved from (`identity.sessionEndsAt`); one already past it does not start. The user's oldest sessions beyond `maxSessionsPerUser` are revoked (`ended`, oldest
   * first; some may have ended already): approving one's own logins cannot fill the store.
   */
  async start(
    identity: Identity,
    client: DeviceClient,
    connectorData?: ConnectorData,
  ): Promise<{ session: CliSession; refreshToken: string; ended: string[] }> {
    const { store, clock, maxAgeSeconds } = this.deps;
    const refreshToken = newSecret();
    const now = clock.now();
    const expiresAt = sessionEnd(identity, now, maxAgeSeconds);
    // What is left, for the store (which refuses a lifetime of 0).
    const ttlSeconds = Math.ceil((expiresAt - now) / 1000);
    if (ttlSeconds <= 0) throw cliSessionEnded();
    const session: CliSession = {
      sid: randomBytes(16).toString('base64url'),
      identity,
      ...(connectorData ? { connectorData } : {}),
      client,
      createdAt: now,
      expiresAt,
      refreshHash: secretHash(refreshToken),
    };
    await store.upsert(refreshKey(session.refreshHash), { sid: session.sid } satisfies RefreshEntry, ttlSeconds);
    await store.upsert(sessionKey(session.sid), session, ttlSeconds);
    const { maxSessionsPerUser } = this.deps;
    const beyond = await this.index.add(
      userNames(identity),
      { sid: session.sid, expiresAt: session.expiresAt },
      maxSessionsPerUser === undefined
        ? undefined
        : { max: maxSessionsPerUser, isLive: async (sid) => (await this.find(sid)) !== undefined },
    );
    // Only those this ended: one that ended on its own meanwhile was already logged as such.
    const revoked = await Promise.all(beyond.map((sid) => this.revoke(sid)));
    const ended = beyond.filter((_, i) => revoked[i]);
    return { session, refreshToken, ended };
  }

  /**
   * Starts the session an approved device login is redeemed for (`start`), unless the user's CLI
   * access was revoked since the approval (`revokedSince`). Asked again once the session is
   * indexed: a revocation marked meanwhile may have listed the user's sessions before this one was
   * there; one marked after this lists it and ends it.
   */
  async redeemDeviceGrant(grant: ApprovedGrant): Promise<{ session: CliSession; refreshToken: string; ended: string[] }> {
    const approvedAt = grant.decidedAt ?? 0;
    if (await this.revokedSince(grant.identity, approvedAt)) throw approvalRevoked();
    const started = await this.start(grant.identity, grant.client, grant.connectorData);
    if (await this.revokedSince(grant.identity, approvedAt)) {
      await this.revoke(started.session.sid);
      throw approvalRevoked();
    }
    return started;
  }

  /** The session, while it is live. */
  async find(sid: string): Promise<CliSession | undefined> {
    const session = await this.deps.store.find<CliSession>(sessionKey(sid));
    return session && this.deps.clock.now() < session.expiresAt ? upgraded(session) : undefined;
  }

  /**
   * Rotates a refresh token (RFC 6749 §6, BCP §4.14.2): the presented token must be the session's
   * current one; it dies and a new one is returned. A rotated token presented again means two
   * parties hold the family, so the session ends for both (ERR_REFRESH_TOKEN_REUSED).
   */
  async refresh(refreshToken: string, clientId: string): Promise<{ session: CliSession; refreshToken: string }> {
    const { store, clock } = this.deps;
    const hash = secretHash(refreshToken);
    const entry = await store.find<RefreshEntry>(refreshKey(hash));
    const current = entry && (await this.find(entry.sid));
    if (!current || current.client.clientId !== clientId) throw cliSessionEnded();

    const now = clock.now();
    // The session may have run out since it was read: then there is nothing left to rotate into
    // (and a store refuses a lifetime of 0).
    const remainingSeconds = Math.ceil((current.expiresAt - now) / 1000);
    if (remainingSeconds <= 0) throw cliSessionEnded();
    const next = newSecret();
    const nextHash = secretHash(next);
    // Indexed before the session names it, so the new token resolves the moment it is valid.
    await store.upsert(refreshKey(nextHash), { sid: current.sid } satisfies RefreshEntry, remainingSeconds);
    let reused = false as boolean;
    let exhausted = false as boolean;
    // Compare-and-swap on the session: of two refreshes racing with the same token, one rotates
    // and the other is, by construction, a reuse.
    const rotated = await store.update<CliSession>(sessionKey(current.sid), (s) => {
      reused = s.refreshHash !== hash;
      const retiredHashes = [...(s.retiredHashes ?? []), hash];
      exhausted = !reused && retiredHashes.length > (this.deps.rotationsKept ?? Infinity);
      if (reused || exhausted) return s;
      return { ...s, refreshHash: nextHash, retiredHashes, refreshedAt: now };
    });
    if (!rotated || reused || exhausted) await store.destroy(refreshKey(nextHash));
    if (!rotated) throw cliSessionEnded();
    if (exhausted) {
      // Every rotated token stays known, so any old one is caught as a reuse; a session refreshing
      // far more often than any CLI does (a loop, or a thief refreshing to bury the token it stole)
      // is ended instead of growing the store.
      await this.revoke(current.sid);
      throw new BridgeError('ERR_REFRESH_TOKEN_INVALID', {
        userMessage: sentence('err.ERR_REFRESH_TOKEN_INVALID.rotationLimit'),
        hint: sentence('hint.refreshLoop'),
        detail: { sid: current.sid, reason: 'rotation-limit', rotations: this.deps.rotationsKept },
      });
    }
    if (reused) {
      await this.revoke(current.sid);
      throw new BridgeError('ERR_REFRESH_TOKEN_REUSED', {
        userMessage: sentence('err.ERR_REFRESH_TOKEN_REUSED'),
        hint: sentence('hint.refreshReused'),
        detail: {
          sid: current.sid,
          idp: current.identity.idp,
          issuer: current.identity.issuer,
          subject: current.identity.subject,
          email: current.identity.email,
        },
      });
    }
    return { session: upgraded(rotated), refreshToken: next };
  }

  /**
   * Stores the identity (and connector data, with a rotated refresh token) re-read at the IdP during
   * a refresh (`refreshGroups`). Undefined when the session ended meanwhile. A changed email is
   * indexed too, so `sessions --user` finds it.
   */
  async replaceIdentity(sid: string, identity: Identity, connectorData?: ConnectorData): Promise<CliSession | undefined> {
    let before: string[] = [];
    const updated = await this.deps.store.update<CliSession>(sessionKey(sid), (s) => {
      before = userNames(s.identity);
      return { ...s, identity, ...(connectorData ? { connectorData } : {}) };
    });
    if (!updated) return undefined;
    const added = userNames(identity).filter((n) => !before.includes(n));
    if (added.length > 0) await this.index.add(added, { sid, expiresAt: updated.expiresAt });
    return updated;
  }

  /** The session a refresh token belongs to, current or rotated (revocation accepts either). */
  async sidOfRefreshToken(refreshToken: string): Promise<string | undefined> {
    return (await this.deps.store.find<RefreshEntry>(refreshKey(secretHash(refreshToken))))?.sid;
  }

  /**
   * Ends a session: its access tokens stop working at once, its refresh tokens resolve to nothing.
   * The entries of its current and kept rotated refresh tokens go with it. False when it had
   * ended already.
   */
  async revoke(sid: string): Promise<boolean> {
    const session = await this.deps.store.consume<CliSession>(sessionKey(sid));
    if (!session) return false;
    const hashes = [session.refreshHash, ...(session.retiredHashes ?? [])];
    await Promise.all(hashes.map((h) => this.deps.store.destroy(refreshKey(h))));
    return true;
  }

  /**
   * Live sessions of a user named by IdP subject or email, oldest first; of one IdP (config id)
   * when `idp` is given. Without it the same subject or email at two IdPs finds both users.
   */
  async listForUser(user: string, idp?: string): Promise<CliSession[]> {
    const sessions = await this.live(queryNames(user));
    return sessions.filter((s) => idp === undefined || s.identity.idp === idp);
  }

  /** Ends every live session of a user (see listForUser), and their approvals not yet redeemed; returns the sessions this call ended. */
  async revokeForUser(user: string, idp?: string): Promise<CliSession[]> {
    await this.markRevoked(queryNames(user), idp ?? ANY_IDP);
    return this.revokeAll(await this.listForUser(user, idp));
  }

  /** Live sessions of exactly this user (issuer and subject), oldest first. */
  listForIdentity(identity: Pick<Identity, 'issuer' | 'subject'>): Promise<CliSession[]> {
    return this.live([identityName(identity)]);
  }

  /** Ends every live session of exactly this user — their own sign-out — and their approvals not yet redeemed. */
  async revokeForIdentity(identity: Pick<Identity, 'issuer' | 'subject'>): Promise<CliSession[]> {
    await this.markRevoked([identityName(identity)], ANY_IDP);
    return this.revokeAll(await this.listForIdentity(identity));
  }

  /** Ends these sessions; answers those this call ended, not one that ended meanwhile (a logout, another revocation). */
  private async revokeAll(sessions: CliSession[]): Promise<CliSession[]> {
    const ended = await Promise.all(sessions.map(async (s) => ((await this.revoke(s.sid)) ? s : undefined)));
    return ended.filter((s): s is CliSession => s !== undefined);
  }

  /**
   * Whether this user's CLI access was revoked at or after `approvedAt`. A device login the user
   * approved but the CLI has not yet redeemed is no session yet, so revoking sessions cannot end
   * it: the token endpoint asks this before starting one (RFC 8628 §5.4: a victim who approved a
   * phisher's code and then revokes everything must not see that code turn into a session later).
   */
  async revokedSince(identity: Identity, approvedAt: number): Promise<boolean> {
    const marks = await Promise.all(userNames(identity).map((name) => this.deps.store.find<Revocations>(revokedKey(name))));
    return marks.some((mark) =>
      [mark?.[ANY_IDP], mark && Object.hasOwn(mark, identity.idp) ? mark[identity.idp] : undefined].some(
        (at) => typeof at === 'number' && at >= approvedAt,
      ),
    );
  }

  /** Remembers the revocation as long as a session lives: longer than any approval it must outlast. */
  private async markRevoked(names: string[], idp: string): Promise<void> {
    const { store, clock, maxAgeSeconds } = this.deps;
    const now = clock.now();
    await Promise.all(
      names.map(async (name) => {
        const key = revokedKey(name);
        if (await store.insert(key, { [idp]: now } satisfies Revocations, maxAgeSeconds)) return;
        const updated = await store.update<Revocations>(key, (mark) => ({ ...mark, [idp]: now }), maxAgeSeconds);
        if (!updated) await store.upsert(key, { [idp]: now } satisfies Revocations, maxAgeSeconds);
      }),
    );
  }

  /** The live sessions indexed under one of `names` that still carry one of them, oldest first. */
  private async live(names: string[]): Promise<CliSession[]> {
    const sessions = await Promise.all((await this.index.sidsFor(names)).map((sid) => this.find(sid)));
    return sessions
      .filter((s): s is CliSession => s !== undefined && userNames(s.identity).some((n) => names.includes(n)))
      .sort((a, b) => a.createdAt - b.createdAt);
  }
}

/** The one answer to a refresh token whose session is gone (the CLI hears invalid_grant and logs in again). */
export function cliSessionEnded(): BridgeError {
  return new BridgeError('ERR_REFRESH_TOKEN_INVALID', {
    userMessage: sentence('err.ERR_REFRESH_TOKEN_INVALID'),
    hint: sentence('hint.runLoginAgain'),
  });
}

function approvalRevoked(): BridgeError {
  return new BridgeError('ERR_DEVICE_ACCESS_DENIED', {
    userMessage: sentence('err.ERR_DEVICE_ACCESS_DENIED.revoked'),
  });
}

/**
 * Sessions stored before upstream tokens became connector data held them inside the identity: read
 * them as connector data, so `refreshGroups` keeps re-reading those users at the IdP (and a user
 * disabled there still loses the session) instead of silently keeping the old groups.
 */
function upgraded(session: CliSession): CliSession {
  const legacy = session.identity as Identity & { upstreamRefreshToken?: string; upstreamIdToken?: string };
  // Read on every API call: the copy below only for the rare session stored before the move.
  if (legacy.upstreamRefreshToken === undefined && legacy.upstreamIdToken === undefined) return session;
  const { upstreamRefreshToken, upstreamIdToken, ...identity } = legacy;
  return {
    ...session,
    identity,
    connectorData: {
      ...(upstreamIdToken !== undefined ? { idToken: upstreamIdToken } : {}),
      ...(upstreamRefreshToken !== undefined ? { refreshToken: upstreamRefreshToken } : {}),
      ...session.connectorData,
    },
  };
}
