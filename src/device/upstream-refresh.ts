import type { Idp } from '../config/index.js';
import { isBridgeError, type BridgeError, type ErrorCode } from '../errors.js';
import type { Connector, ConnectorData } from '../idp/connector.js';
import { stillTrusted, type Identity } from '../idp/identity.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { cliSessionEnded, type CliSession, type CliSessions } from './cli-sessions.js';
import { secretHash } from './secrets.js';

/** What asking the IdP about the user again gave. */
export type IdpAnswerOnRefresh =
  | { kind: 'refreshed'; identity: Identity; connectorData?: ConnectorData }
  /** The IdP refused the user (ERR_UPSTREAM_REFRESH_DENIED): disabled, grant revoked, someone else. */
  | { kind: 'denied'; err: BridgeError }
  /** The IdP could not be asked (down, slow, misconfigured): that says nothing about the user. */
  | {
      kind: 'unanswered';
      code: ErrorCode;
      detail?: Record<string, unknown>;
      /** The IdP answered with an error, or was never reached: the refresh token is still good (Connector.refresh). */
      tokenUnspent: boolean;
    };

/** A connector that can re-read a user (OIDC; SAML has no refresh). */
export type RefreshingConnector = Connector & { refresh: NonNullable<Connector['refresh']> };

export const canRefresh = (connector: Connector): connector is RefreshingConnector => connector.refresh !== undefined;

/**
 * Whether the IdP re-reads its users (`refreshGroups`). A session of such an IdP that holds no IdP
 * refresh token (the IdP issued none, or an approval took it) cannot be re-read: it does not keep
 * its identity past one access-token lifetime either (fail closed).
 */
export const refreshesGroups = (idps: readonly Idp[], id: string): boolean =>
  idps.some((idp) => idp.id === id && idp.type === 'oidc' && idp.refreshGroups);

/** Who a re-read is about, for its log lines. */
type Who = { idp: string; subject: string; email?: string } & Record<string, unknown>;

/**
 * Re-reads the user at the IdP with the IdP refresh token in `data` (`refreshGroups`), and logs
 * what came of it: the one step CLI refreshes (`refreshAtIdp`) and browser sessions
 * (web/middleware/identity-refresh.ts) share. Each decides itself what a refusal ends.
 */
export async function askIdpAgain(
  connector: RefreshingConnector,
  before: Identity,
  data: ConnectorData,
  log: Logger,
  who: Who,
): Promise<IdpAnswerOnRefresh> {
  try {
    const { identity, connectorData } = await connector.refresh(before, data);
    log.info(
      { event: 'upstream-refreshed', ...who, groupsBefore: before.groups, groups: identity.groups, amr: identity.amr },
      'identity re-read at the IdP',
    );
    return { kind: 'refreshed', identity, connectorData };
  } catch (err) {
    if (isBridgeError(err, 'ERR_UPSTREAM_REFRESH_DENIED')) return { kind: 'denied', err };
    const code = isBridgeError(err) ? err.code : 'ERR_INTERNAL';
    const detail = isBridgeError(err) ? err.detail : undefined;
    log.warn(
      { event: 'upstream-refresh-failed', ...who, code, detail },
      'IdP refresh failed; keeping the identity from the last sign-in or refresh',
    );
    return { kind: 'unanswered', code, detail, tokenUnspent: detail?.refreshTokenUnspent === true };
  }
}

/** The claim on one IdP refresh token, per browser sign-in (`signInId`). */
const upstreamRefreshKey = (tokenHash: string, signInId: string) => `device:upstream-refresh:${tokenHash}:${signInId}`;

/** Who claimed a browser sign-in's IdP refresh token: an approval took it for good, a re-read spends it. */
export type UpstreamTokenHolder = 'approval' | 'reread';

/**
 * Claims a browser session's IdP refresh token before spending or handing it on, atomically (the
 * store's `insert`): a CLI approval hands it to its grant (DeviceGrants), a re-read of the
 * browser's identity spends it at the IdP (web/middleware/identity-refresh.ts). Every request
 * reads the browser session before any of them saves it, so without the claim two tabs would use
 * one token twice, and an IdP that rotates them revokes a token used twice as stolen. False when
 * another request of the same sign-in has it.
 */
export function claimUpstreamRefreshToken(
  store: Store,
  token: string,
  signInId: string,
  seconds: number,
  holder: UpstreamTokenHolder = 'approval',
): Promise<boolean> {
  return store.insert(upstreamRefreshKey(secretHash(token), signInId), holder, seconds);
}

/** Who holds the claim on the token now, if anyone. */
export async function upstreamRefreshTokenHolder(store: Store, token: string, signInId: string): Promise<UpstreamTokenHolder | undefined> {
  const held = await store.find<unknown>(upstreamRefreshKey(secretHash(token), signInId));
  // Claims made before re-reads existed hold `true`: approvals, all of them.
  return held === undefined ? undefined : held === 'reread' ? 'reread' : 'approval';
}

/** Gives a claimed token back: it was not spent (or is still good, the IdP not rotating it). */
export function releaseUpstreamRefreshToken(store: Store, token: string, signInId: string): Promise<void> {
  return store.destroy(upstreamRefreshKey(secretHash(token), signInId));
}

/**
 * A refresh re-evaluates the user. Roles are mapped from the stored identity on every
 * API call; for IdPs with `refreshGroups` the identity itself is re-read here, with the IdP's
 * refresh token. The IdP refusing the user ends the session (the CLI hears invalid_grant); an IdP
 * that cannot be asked (down, slow, misconfigured) leaves the identity as it was, so an outage
 * at the IdP does not lock everyone out of Alibaba Cloud. A session whose IdP was removed from the
 * configuration, or now names another issuer, ends with it.
 */
export async function refreshAtIdp(
  deps: {
    sessions: CliSessions;
    connectors: ReadonlyMap<string, Connector>;
    idps: readonly Idp[];
    log: Logger;
    /** Told of a session this ended (the audit stream). */
    onRevoked?: (by: 'config' | 'idp' | 'upstream-refresh-unavailable', session: CliSession) => void;
  },
  session: CliSession,
): Promise<CliSession> {
  const { sessions, log } = deps;
  const before = session.identity;
  const connector = deps.connectors.get(before.idp);
  if (!connector || !stillTrusted(deps.idps, before)) {
    await sessions.revoke(session.sid);
    log.warn(
      { event: 'cli-session-revoked', by: 'config', sid: session.sid, idp: before.idp },
      'CLI session ended: its IdP is no longer configured',
    );
    deps.onRevoked?.('config', session);
    throw cliSessionEnded();
  }
  if (!canRefresh(connector)) return session;
  const who = { sid: session.sid, idp: before.idp, subject: before.subject, email: before.email };
  if (!session.connectorData?.refreshToken) {
    if (!refreshesGroups(deps.idps, before.idp)) return session;
    // Approved from a browser session the IdP gave no refresh token: nothing to re-read the user
    // with, so the session ends at its first refresh, and `rambridge login` signs in afresh.
    await sessions.revoke(session.sid);
    log.warn(
      { event: 'cli-session-revoked', by: 'upstream-refresh-unavailable', ...who },
      'CLI session ended: refreshGroups is set, and the IdP gave no refresh token to re-read the user with',
    );
    deps.onRevoked?.('upstream-refresh-unavailable', session);
    throw cliSessionEnded();
  }
  const answer = await askIdpAgain(connector, before, session.connectorData, log, who);
  if (answer.kind === 'unanswered') return session;
  if (answer.kind === 'denied') {
    await sessions.revoke(session.sid);
    log.warn(
      { event: 'cli-session-revoked', by: 'idp', ...who, detail: answer.err.detail },
      'CLI session ended: the IdP refused the user on refresh',
    );
    deps.onRevoked?.('idp', session);
    throw answer.err;
  }
  const updated = await sessions.replaceIdentity(session.sid, answer.identity, answer.connectorData);
  // Revoked while the IdP was being asked: nothing to hand out.
  if (!updated) throw cliSessionEnded();
  return updated;
}
